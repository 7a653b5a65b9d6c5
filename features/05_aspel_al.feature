# language: es
Característica: Actualiza desde Aspel-AL

  @figura @mock
  Escenario: Abro Aspel-AL desde Inicio > Todos los programas > Aspel
    b) Ingresando a **Aspel-AL**, se podrá ingresar desde el botón Inicio y realizando la búsqueda de **Aspel-AL** o Ingresando a Inicio > Todos los programas > Aspel > **Aspel-AL**.
    Figura 8 muestra el menú Inicio abierto en Todos los programas > Aspel, con Aspel-AL y Aspel NOI 9.0.

    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que estoy en el escritorio de mi equipo con Aspel NOI 9.0 instalado
    Cuando abro Inicio > Todos los programas > Aspel
    Entonces se captura la Figura 8 "Aspel-AL." recortada a "Menú Inicio" resaltando "Aspel-AL"
    Cuando doy clic en "Aspel-AL"
    Entonces veo la ventana Aspel-AL

  Escenario: Encuentro Aspel-AL con la búsqueda del botón Inicio
    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que estoy en el escritorio de mi equipo con Aspel NOI 9.0 instalado
    Cuando busco "Aspel-AL" desde el botón Inicio
    Entonces el menú Inicio encuentra sólo "Aspel-AL"
    Cuando doy clic en "Aspel-AL"
    Entonces veo la ventana Aspel-AL

  @figura @mock
  Escenario: Entro a la sección Otros sistemas de Aspel-AL
    Se abrirá el servicio de actualización en línea, donde se debe ingresar a la sección de **Otros sistemas** para descargar la nueva versión disponible.
    Figura 9 muestra la ventana de Aspel-AL, Servicio de actualización en línea, en la sección Otros sistemas, que ofrece Aspel NOI 10.0 con su botón Descargar.

    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que acepté la actualización de mi serie de Aspel NOI 9.0
    Y que abrí Aspel-AL en mi equipo
    Cuando entro a la sección Otros sistemas
    Entonces Otros sistemas ofrece Aspel NOI 10.0 para descargar
    Y se captura la Figura 9 "Aspel-AL, sección Otros sistemas." recortada a "Aspel-AL" resaltando "Otros sistemas" con la nota "Aquí está la nueva versión" junto a "Aspel NOI 10.0"

  @destructivo @regla-5
  Escenario: Descargo Aspel NOI 10.0 desde Otros sistemas
    ¡Listo! Con estos sencillos pasos estarás actualizado.

    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que acepté la actualización de mi serie de Aspel NOI 9.0
    Y que abrí Aspel-AL en mi equipo
    Cuando entro a la sección Otros sistemas
    Y descargo Aspel NOI 10.0 desde Otros sistemas
    Entonces la descarga es el instalador de Aspel NOI 10.0 con el nombre y el tamaño publicados

  @no-doc
  Escenario: Sin actualizar la serie, Otros sistemas no ofrece nada
    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que abrí Aspel-AL en mi equipo
    Cuando entro a la sección Otros sistemas
    Entonces Otros sistemas no ofrece ningún sistema para descargar
    Y veo el mensaje "No hay nuevas versiones disponibles para tus sistemas."
