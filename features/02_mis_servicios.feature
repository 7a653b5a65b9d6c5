# language: es
Característica: Mis servicios > Suscripciones y la actualización de la serie

  Antecedentes:
    Dado que tengo Aspel NOI 9.0 en suscripción mensual

  @figura @mock
  Escenario: Localizo Suscripciones en Mis servicios
    c) Dentro de tu cuenta Aspel ingresa a la sección Mis servicios y localiza **Suscripciones**.
    Figura 3 muestra Mi cuenta Aspel con el menú Mis servicios y su opción Suscripciones; el RFC de la cuenta aparece difuminado.

    Dado que inicié sesión en Mi cuenta Aspel
    Cuando abro el menú "Mis servicios"
    Entonces se captura la Figura 3 "Mis servicios > Suscripciones" resaltando "Suscripciones" difuminando "RFC"

  @figura @mock
  Escenario: Ubico la serie de Aspel NOI 9.0 y su icono Actualiza la serie
    d) Al ingresar se visualizarán los sistemas que se tienen en suscripción. Para realizar la actualización del número de serie de **Aspel NOI 9.0**, ubica la serie a actualizar y da clic en el icono **Actualiza la serie**.
    > Mis servicios
    > Sistemas en Suscripción
    > Seguir comprando
    > Arrastra una columna aquí para agrupar por ella
    > | Sistema | Versión | USUARIOS | No. serie | Fecha Activación | Próximo Pago | |
    > | --- | --- | --- | --- | --- | --- | --- |
    > | Aspel NOI | 9.0 | 1 | INLXXXXXXXXXX | 01/02/2022 | 01/04/2022 | Plan actualizado |
    > Actualiza la serie
    Figura 4 muestra la rejilla Sistemas en Suscripción de Mis servicios > Suscripciones, con la serie de Aspel NOI 9.0 y, al final de su fila, el icono Actualiza la serie.

    Dado que inicié sesión en Mi cuenta Aspel
    Y que abrí el menú "Mis servicios"
    Cuando doy clic en "Suscripciones"
    Entonces veo mi serie de Aspel NOI 9.0 en Sistemas en Suscripción
    Cuando paso el cursor sobre "Actualiza la serie"
    Entonces la ventana muestra el texto que el tutorial cita
    Y se captura la Figura 4 "Actualización de número de serie" con el número 1 en "No. serie" y el número 2 en "Actualiza la serie"

  @no-doc
  Escenario: La rejilla nombra sus columnas y muestra la fila de mi serie de Aspel NOI 9.0
    Cuando entro a Mis servicios > Suscripciones
    Entonces la rejilla tiene las columnas "Sistema", "Versión", "USUARIOS", "No. serie", "Fecha Activación" y "Próximo Pago"
    Y veo mi serie de Aspel NOI 9.0 en Sistemas en Suscripción
    Y mi serie de Aspel NOI 9.0 muestra "Plan actualizado"
    Y mi serie de Aspel NOI 9.0 ofrece "Actualiza la serie"

  @figura @mock @regla-1
  Escenario: Leo los términos y condiciones y acepto
    e) Posteriormente se mostrará una ventana en la cual se especifican los términos y condiciones para la actualización de la versión, da clic en **Aceptar**.
    > Actualiza la versión de tu sistema ×
    > **Numero de Serie:** NXXXXXXXXXXXX
    > Ya esta disponible una nueva versión para tu sistema en renta, puedes obtenerla sin costo adicional en este momento, solo debes considerar los siguientes aspectos:
    > 1.- A partir de que te entreguemos el número de serie electrónico de la nueva versión, tendrás que dejar de utilizar la versión anterior de tu sistema, por lo que si consideras que aún no estás listo para suspender el uso de tu actual versión entonces No continúes con este proceso.
    > 2.- Al Aceptar actualizarte a la nueva versión se generará un nuevo Número de Serie Electrónico correspondiente a la nueva versión.
    > 3.- Para facilitar la transición entre ambas versiones (anterior-actual) podrás utilizar la versión anterior solamente hasta el vencimiento de tu siguiente validación
    > una vez que se cumpla este plazo la versión anterior de tu sistema quedará "Inactiva".Esto significa que podrás utilizar ambas versiones sólo durante un tiempo, a bien de que puedas trasladar la información de una versión a otra, pero una vez que venza la última validación de la versión anterior, el sistema se inactivará y a partir de ese momento sólo podrás utilizar la nueva versión.
    > 4.- El número de serie electrónico de la nueva versión, tendrá la misma periodicidad de renta que el de la versión anterior.
    > 5.- Para instalar la nueva versión del sistema, es necesario que lo descargues en nuestro [centro de descarga](https://aspel.com/descargas).
    > 6.- Para activar la nueva versión de tu sistema, en el Asistente de activación deberás indicar como razón social aquella que registraste en aspel.com, si requieres que tus reportes o recibos se emitan con una razón social diferente podrás modificar dicha razón social en el sistema después de que lo hayas activado.
    Figura 5 muestra la ventana Actualiza la versión de tu sistema con el número de serie, los seis términos y los botones Cancelar y Aceptar.

    Dado que estoy en Mis servicios > Suscripciones
    Cuando doy clic en el icono Actualiza la serie de mi serie
    Entonces la ventana muestra mi número de serie y los seis términos
    Y la ventana muestra el texto que el tutorial cita
    Y se captura la Figura 5 "Términos y condiciones" recortada a "Actualiza la versión de tu sistema" resaltando "Aceptar"
    Cuando acepto los términos
    Entonces veo el nuevo número de serie de Aspel NOI 10.0
