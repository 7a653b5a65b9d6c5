# language: es
Característica: Notificación de la actualización

  @figura @mock @correo
  Escenario: Recibo en mi correo la notificación de la actualización
    f) Se enviará al correo electrónico registrado en Mi cuenta Aspel, la notificación de la actualización del número de serie de **Aspel NOI** de la versión 9.0 a la 10.0.
    Figura 6 muestra el correo de Aspel con el número de serie anterior y el nuevo de Aspel NOI, la periodicidad, los usuarios, hasta cuándo se usa la versión 9.0 y el botón Ir al centro de descarga.

    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que acepté la actualización de mi serie de Aspel NOI 9.0
    Cuando abro el correo "Actualización de número de serie de Aspel NOI 9.0 a 10.0"
    Entonces el correo llegó a mi correo electrónico registrado en Mi cuenta Aspel
    Y se captura la Figura 6 "Correo de actualización" recortada a "Actualización de número de serie de Aspel NOI 9.0 a 10.0" ignorando "Fecha:"

  @no-doc @mock @correo @regla-4
  Esquema del escenario: La notificación nombra las series, la periodicidad <periodicidad> y hasta cuándo sirve la versión 9.0
    Dado que tengo Aspel NOI 9.0 en suscripción <periodicidad>
    Y que acepté la actualización de mi serie de Aspel NOI 9.0
    Cuando abro el correo "Actualización de número de serie de Aspel NOI 9.0 a 10.0"
    Entonces el correo dice "Se realizó la actualización del número de serie de Aspel NOI de la versión 9.0 a la 10.0."
    Y el correo nombra mi número de serie anterior y el nuevo
    Y el correo indica Periodicidad de renta "<renta>"
    Y el correo indica Versión 9.0, se utiliza hasta el "31/03/2022"
    Y el correo indica Versión 9.0, Inactiva desde el "01/04/2022"
    Cuando doy clic en "Ir al centro de descarga"
    Entonces veo la ventana Centro de descargas

    Ejemplos:
      | periodicidad | renta     |
      | mensual      | Mensual   |
      | semestral    | Semestral |
      | anual        | Anual     |
