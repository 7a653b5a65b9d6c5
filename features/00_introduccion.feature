# language: es
Característica:
  ¿Deseas actualizar el número de serie de Aspel NOI 9.0 a la nueva versión Aspel NOI 10.0?
  A continuación, se describirán los pasos para realizar el proceso de actualización del número de serie desde la página [aspel.com](https://www.aspel.com).
  Recuerda que la actualización dependerá de la modalidad de contratación que se tiene para el sistema Aspel NOI 9.0, los cuales pueden ser por: suscripción (pago mensual, semestral o anual) o Licenciamiento (pago único).
  Para más información consulta el siguiente enlace [Consulta precios de Aspel NOI](https://www.aspel.com.mx).
  Para este tutorial se tomará de ejemplo la modalidad en suscripción.
