# language: es
Característica: Más información y comentarios sobre el tutorial
  Te invitamos a consultar más documentos como este en Tutoriales y a suscribirte a nuestro canal de YouTube
  Dudas, comentarios y sugerencias sobre este documento aquí.

  @no-doc @enlaces
  Esquema del escenario: El enlace "<enlace>" del tutorial publicado lleva a <dirección>, que el sitio de prueba muestra como <página>
    Dado que el tutorial publicado enlaza "<enlace>" a "<dirección>"
    Cuando abro el enlace "<enlace>" del tutorial
    Entonces veo la ventana <página>

    Ejemplos:
      | enlace                        | dirección                   | página                                                |
      | aspel.com                     | https://www.aspel.com       | Sistemas administrativos para hacer crecer tu empresa |
      | Consulta precios de Aspel NOI | https://www.aspel.com.mx    | Sistemas administrativos para hacer crecer tu empresa |
      | aspel.com.mx                  | https://www.aspel.com.mx    | Sistemas administrativos para hacer crecer tu empresa |
      | aspel.com/descargas           | https://aspel.com/descargas | Centro de descargas                                   |

  @no-doc
  Escenario: Los precios de Aspel NOI muestran sus dos modalidades y las tres periodicidades
    Dado que abro el tutorial "Solicita tu número de serie desde aspel.com" en Soporte
    Cuando doy clic en "Consulta precios de Aspel NOI"
    Entonces la modalidad "Suscripción" ofrece "Mensual", "Semestral" y "Anual"
    Y la modalidad "Licenciamiento (pago único)" ofrece "Pago único"

  @no-doc
  Escenario: Tutoriales lista este tutorial y se llega desde Soporte
    Dado que ingreso a aspel.com.mx
    Cuando doy clic en "Soporte"
    Entonces veo la ventana Tutoriales
    Y la lista de tutoriales incluye "Solicita tu número de serie desde aspel.com"
    Cuando doy clic en "Solicita tu número de serie desde aspel.com"
    Entonces veo la ventana Solicita tu número de serie desde aspel.com
    Y veo el enlace "Consulta precios de Aspel NOI"
    Y veo el enlace "Dudas, comentarios y sugerencias sobre este documento"

  @no-doc
  Escenario: Envío mis dudas, comentarios y sugerencias sobre este documento
    Dado que abro el tutorial "Solicita tu número de serie desde aspel.com" en Soporte
    Cuando doy clic en "Dudas, comentarios y sugerencias sobre este documento"
    Y envío el comentario "Me gustaría un tutorial como este para Aspel COI."
    Entonces veo la ventana Gracias por tus comentarios
    Y veo el mensaje "Gracias por tus comentarios. Los leeremos para mejorar este documento."
    Y mi comentario aparece tal como lo escribí

  @no-doc
  Escenario: Un comentario vacío pide escribirlo
    Dado que abro el tutorial "Solicita tu número de serie desde aspel.com" en Soporte
    Cuando doy clic en "Dudas, comentarios y sugerencias sobre este documento"
    Y envío el formulario sin comentario
    Entonces veo el mensaje "Escribe tu duda, comentario o sugerencia."
    Y veo junto al campo Tu duda, comentario o sugerencia el aviso "Escribe tu duda, comentario o sugerencia."
    Y veo la ventana Dudas, comentarios y sugerencias

  @no-doc @seguridad
  Escenario: El código HTML de un comentario se muestra como texto y no se ejecuta
    Dado que abro el tutorial "Solicita tu número de serie desde aspel.com" en Soporte
    Cuando doy clic en "Dudas, comentarios y sugerencias sobre este documento"
    Y envío como comentario un código HTML con un script
    Entonces mi comentario aparece tal como lo escribí
    Y el código no se ejecutó
