# language: es
Característica: Mis servicios > Suscripciones y la actualización de la serie

  Antecedentes:
    Dado que tengo Aspel NOI 9.0 en suscripción mensual

  @figura @mock
  Escenario: Localizo Suscripciones en Mis servicios
    c) Dentro de tu cuenta Aspel ingresa a la sección Mis servicios y localiza **Suscripciones**.

    Dado que inicié sesión en Mi cuenta Aspel
    Cuando abro el menú "Mis servicios"
    Entonces se captura la Figura 3 "Mis servicios > Suscripciones" resaltando "Suscripciones"

  @figura @mock
  Escenario: Ubico la serie de Aspel NOI 9.0 y su icono Actualiza la serie
    d) Al ingresar se visualizarán los sistemas que se tienen en suscripción. Para realizar la actualización del número de serie de **Aspel NOI 9.0**, ubica la serie a actualizar y da clic en el icono **Actualiza la serie**.

    Cuando entro a Mis servicios > Suscripciones
    Entonces veo mi serie de Aspel NOI 9.0 en Sistemas en Suscripción
    Cuando paso el cursor sobre "Actualiza la serie"
    Entonces se captura la Figura 4 "Actualización de número de serie" resaltando "Actualiza la serie"

  @figura @mock
  Escenario: Leo los términos y condiciones y acepto
    e) Posteriormente se mostrará una ventana en la cual se especifican los términos y condiciones para la actualización de la versión, da clic en **Aceptar**.

    Dado que estoy en Mis servicios > Suscripciones
    Cuando doy clic en el icono Actualiza la serie de mi serie
    Entonces la ventana muestra mi número de serie y los seis términos
    Y se captura la Figura 5 "Términos y condiciones" recortada a "Actualiza la versión de tu sistema"
    Cuando acepto los términos
    Entonces veo el nuevo número de serie de Aspel NOI 10.0
