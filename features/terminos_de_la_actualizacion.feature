# language: es
@no-doc
Característica: Los términos de la actualización se cumplen
  Cada término de la ventana «Actualiza la versión de tu sistema» se prueba por lo que hace el sitio,
  no sólo por su texto: en el orden de la ventana, del 1 al 6, y al final lo que vale fuera de los términos.

  @regla-1
  Regla: 1.- Al recibir la nueva serie se deja la versión anterior; quien no está listo no continúa

    Antecedentes:
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que estoy en Mis servicios > Suscripciones

    @destructivo
    Escenario: Aceptar entrega la nueva serie y la anterior sólo vale hasta su siguiente validación
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y acepto los términos
      Entonces veo el nuevo número de serie de Aspel NOI 10.0
      Y mi serie de Aspel NOI 9.0 muestra "Se utiliza hasta el 31/03/2022; Inactiva desde el 01/04/2022"
      Y mi serie de Aspel NOI 9.0 ya no ofrece "Actualiza la serie"

    Escenario: Cancelar no cambia nada
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Entonces la ventana muestra mi número de serie y los seis términos
      Cuando cancelo
      Entonces mi serie sigue igual y no hay una serie nueva

    Escenario: Cerrar la ventana con la × no cambia nada
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y cierro la ventana con la ×
      Entonces mi serie sigue igual y no hay una serie nueva

    @mock @correo
    Esquema del escenario: <botón> no envía ningún correo
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y <acción>
      Entonces mi serie sigue igual y no hay una serie nueva
      Y no se envió ningún correo

      Ejemplos:
        | botón                     | acción                     |
        | Cancelar                  | cancelo                    |
        | Cerrar la ventana con la × | cierro la ventana con la × |

  @regla-2
  Regla: 2.- Aceptar genera un nuevo número de serie electrónico para la nueva versión

    @destructivo
    Escenario: La nueva serie es nueva, única y con el formato de las series Aspel
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0
      Entonces el nuevo número de serie es distinto del anterior y tiene el formato de las series Aspel

    @mock @correo
    Escenario: Un doble clic en Aceptar da una sola serie nueva
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que estoy en Mis servicios > Suscripciones
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y doy doble clic en "Aceptar"
      Entonces hay exactamente una serie de Aspel NOI 10.0
      Y se envió 1 correo de actualización

    @destructivo
    Escenario: Una serie ya actualizada no se actualiza otra vez
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0
      Cuando vuelvo a pedir la actualización de mi serie de Aspel NOI 9.0
      Entonces veo el mensaje "ya se actualizó"
      Y hay exactamente una serie de Aspel NOI 10.0

  @regla-3
  Regla: 3.- La versión anterior sólo se utiliza hasta el vencimiento de su siguiente validación; después queda "Inactiva"

    @mock
    Escenario: Ambas versiones validan hasta la siguiente validación de la anterior; desde ese día sólo la nueva
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0
      Cuando llega el 31/03/2022
      Entonces la validación de mi serie de Aspel NOI 9.0 responde "activa"
      Y la validación de mi nueva serie de Aspel NOI 10.0 responde "activa"
      Cuando vuelvo a abrir Mis servicios > Suscripciones
      Entonces mi serie de Aspel NOI 9.0 muestra "Se utiliza hasta el 31/03/2022; Inactiva desde el 01/04/2022"
      Cuando llega el 01/04/2022
      Entonces la validación de mi serie de Aspel NOI 9.0 responde "inactiva"
      Y la validación de mi nueva serie de Aspel NOI 10.0 responde "activa"
      Cuando vuelvo a abrir Mis servicios > Suscripciones
      Entonces mi serie de Aspel NOI 9.0 muestra "Inactiva"
      Y mi nueva serie de Aspel NOI 10.0 muestra "Plan actualizado"
      Cuando llega el 02/04/2022
      Entonces la validación de mi serie de Aspel NOI 9.0 responde "inactiva"
      Y la validación de mi nueva serie de Aspel NOI 10.0 responde "activa"
      Cuando abro Aspel NOI 9.0 en mi equipo
      Entonces Aspel NOI 9.0 se abre en modo consulta

    @destructivo
    Escenario: Antes de su siguiente validación Aspel NOI 9.0 se abre con su serie activa
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0
      Cuando abro Aspel NOI 9.0 en mi equipo
      Entonces Aspel NOI 9.0 se abre con su serie activa

    @mock
    Escenario: Una suscripción cuya validación venció queda Inactiva y no puede actualizarse
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que llegó el 01/04/2022
      Y que estoy en Mis servicios > Suscripciones
      Entonces mi serie de Aspel NOI 9.0 muestra "Inactiva"
      Y mi serie de Aspel NOI 9.0 ya no ofrece "Actualiza la serie"
      Y la validación de mi serie de Aspel NOI 9.0 responde "inactiva"
      Cuando vuelvo a pedir la actualización de mi serie de Aspel NOI 9.0
      Entonces veo el mensaje "Inactiva y no puede actualizarse"

  @regla-4 @mock
  Regla: 4.- La nueva serie tiene la misma periodicidad de renta que la anterior

    Esquema del escenario: La serie de Aspel NOI 10.0 conserva la renta <periodicidad> y los usuarios
      Dado que tengo Aspel NOI 9.0 en suscripción <periodicidad> con <usuarios> usuarios
      Y que estoy en Mis servicios > Suscripciones
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y acepto los términos
      Entonces la nueva serie conserva la renta <periodicidad> con próximo pago el <próximo pago> y <usuarios> usuarios

      Ejemplos:
        | periodicidad | usuarios | próximo pago |
        | mensual      | 1        | 01/05/2022   |
        | semestral    | 3        | 01/10/2022   |
        | anual        | 5        | 01/04/2023   |

  @regla-5
  Regla: 5.- La nueva versión se instala con lo que se descarga del centro de descarga

    Escenario: El enlace centro de descarga de la ventana lleva al instalador de Aspel NOI 10.0
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que estoy en Mis servicios > Suscripciones
      Cuando doy clic en el icono Actualiza la serie de mi serie
      Y doy clic en "centro de descarga"
      Entonces veo la ventana Centro de descargas
      Y veo Aspel NOI 10.0 con su instalador, su tamaño y su SHA-256
      Cuando descargo el instalador de Aspel NOI 10.0
      Entonces la descarga es el instalador de Aspel NOI 10.0 con el nombre y el tamaño publicados

  @regla-6 @destructivo
  Regla: 6.- El Asistente de activación acepta sólo la razón social registrada en aspel.com; después se cambia la de reportes y recibos

    Antecedentes:
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0

    Escenario: Activo con la razón social registrada aunque la escriba en mayúsculas, sin acentos y con espacios de más
      Cuando abro el Asistente de activación de Aspel NOI 10.0
      Y escribo mi nuevo número de serie
      Y escribo como razón social la que registré en aspel.com en mayúsculas, sin acentos y con espacios de más
      Y doy clic en "Activar"
      Entonces Aspel NOI 10.0 queda activado
      Y mis reportes y recibos se imprimen con la razón social que registré en aspel.com

    Escenario: Otra razón social no activa el sistema
      Cuando abro el Asistente de activación de Aspel NOI 10.0
      Y escribo mi nuevo número de serie
      Y escribo como razón social "Comercializadora Distinta, S.A. de C.V."
      Y doy clic en "Activar"
      Entonces veo el mensaje "Indica como razón social aquella que registraste en aspel.com"
      Y Aspel NOI 10.0 no se activa

    Escenario: Un número de serie que aspel.com no conoce no activa el sistema
      Cuando abro el Asistente de activación de Aspel NOI 10.0
      Y escribo un número de serie que no existe
      Y escribo como razón social la que registré en aspel.com
      Y doy clic en "Activar"
      Entonces veo el mensaje "El número de serie no está registrado en aspel.com."
      Y Aspel NOI 10.0 no se activa

    Escenario: El número de serie de Aspel NOI 9.0 no activa Aspel NOI 10.0
      Cuando abro el Asistente de activación de Aspel NOI 10.0
      Y escribo mi número de serie de Aspel NOI 9.0
      Y escribo como razón social la que registré en aspel.com
      Y doy clic en "Activar"
      Entonces veo el mensaje "Indica el número de serie de Aspel NOI 10.0."
      Y Aspel NOI 10.0 no se activa

    @mock
    Escenario: Una serie Inactiva no activa el sistema
      Dado que llegó el 01/05/2022
      Cuando abro el Asistente de activación de Aspel NOI 10.0
      Y escribo mi nuevo número de serie
      Y escribo como razón social la que registré en aspel.com
      Y doy clic en "Activar"
      Entonces veo el mensaje "está Inactiva y no puede activarse"
      Y Aspel NOI 10.0 no se activa

    Escenario: Después de activar cambio la razón social de mis reportes y recibos; la registrada en aspel.com no cambia
      Dado que activé Aspel NOI 10.0 con la razón social que registré en aspel.com
      Cuando cambio en la configuración del sistema la razón social de mis reportes y recibos a "Nóminas Integrales del Bajío"
      Entonces veo el mensaje "Se guardó la razón social de tus reportes y recibos."
      Y mis reportes y recibos se imprimen con la razón social "Nóminas Integrales del Bajío"
      Y mi razón social registrada en aspel.com sigue siendo la misma

  @mock
  Regla: La actualización sin costo es para suscripciones; el licenciamiento compra la actualización

    Escenario: Una licencia de pago único ve el camino de compra
      Dado que tengo Aspel NOI 9.0 en licenciamiento
      Y que estoy en Mis servicios > Suscripciones
      Entonces no se ofrece la ventana de actualización sin costo
      Cuando doy clic en "Compra la actualización"
      Entonces veo el mensaje "adquiere la actualización de versión"
