# language: es
@no-doc
Característica: Los términos de la actualización se cumplen
  Cada término de la ventana «Actualiza la versión de tu sistema» se prueba por lo que hace el sitio,
  no sólo por su texto.

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
      Y mi serie de Aspel NOI 9.0 muestra "Vigente hasta el 01/04/2022"
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

  @regla-4 @mock
  Regla: 4.- La nueva serie tiene la misma periodicidad de renta que la anterior

    Esquema del escenario: La serie de Aspel NOI 10.0 conserva la renta <periodicidad> y los usuarios
      Dado que tengo Aspel NOI 9.0 en suscripción <periodicidad> con <usuarios> usuarios
      Y que acepté la actualización de mi serie de Aspel NOI 9.0
      Entonces la nueva serie conserva la renta <periodicidad> con próximo pago el <próximo pago> y <usuarios> usuarios

      Ejemplos:
        | periodicidad | usuarios | próximo pago |
        | mensual      | 1        | 01/05/2022   |
        | semestral    | 3        | 01/10/2022   |
        | anual        | 5        | 01/04/2023   |

  @mock
  Regla: La actualización sin costo es para suscripciones; el licenciamiento compra la actualización

    Escenario: Una licencia de pago único ve el camino de compra
      Dado que tengo Aspel NOI 9.0 en licenciamiento
      Y que estoy en Mis servicios > Suscripciones
      Entonces no se ofrece la ventana de actualización sin costo
      Cuando doy clic en "Compra la actualización"
      Entonces veo el mensaje "adquiere la actualización de versión"
