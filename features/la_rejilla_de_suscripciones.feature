# language: es
@no-doc
Característica: La rejilla de Sistemas en Suscripción
  La lista de sistemas se comporta como la rejilla del sitio real: se agrupa arrastrando una
  columna al panel «Arrastra una columna aquí para agrupar por ella» y se ordena por columna.

  @destructivo
  Regla: Tras la actualización, la serie nueva y la anterior se agrupan y se ordenan

    Antecedentes:
      Dado que tengo Aspel NOI 9.0 en suscripción mensual
      Y que acepté la actualización de mi serie de Aspel NOI 9.0

    Escenario: Agrupo las series por versión y las desagrupo
      Cuando arrastro la columna "Versión" al panel de agrupación
      Entonces las series quedan agrupadas por "Versión" en "9.0" y "10.0"
      Cuando arrastro la agrupación "Versión" fuera del panel
      Entonces las series ya no están agrupadas por "Versión"

    Escenario: Ordeno las series por número de serie
      Cuando doy clic en el encabezado "No. serie"
      Entonces las series quedan ordenadas por "No. serie" de menor a mayor
      Cuando doy clic en el encabezado "No. serie"
      Entonces las series quedan ordenadas por "No. serie" de mayor a menor

  @mock
  Regla: Cada columna de la rejilla ordena y agrupa las series
    Las series tienen valores distintos en cada columna (el sitio sólo emite series de Aspel NOI,
    así que «Sistema» tiene uno solo), y en un orden que no es el de ninguna columna.

    Antecedentes:
      Dado que tengo estas series de Aspel NOI en suscripción mensual:
        | Versión | USUARIOS | Fecha Activación | Próximo Pago |
        | 9.0     | 3        | 01/02/2021       | 01/05/2022   |
        | 10.0    | 12       | 15/06/2021       | 15/04/2022   |
        | 9.0     | 1        | 10/01/2022       | 10/07/2022   |
      Y que estoy en Mis servicios > Suscripciones

    Esquema del escenario: Ordeno las series por la columna "<columna>"
      Cuando doy clic en el encabezado "<columna>"
      Entonces las series quedan ordenadas por "<columna>" de menor a mayor
      Cuando doy clic en el encabezado "<columna>"
      Entonces las series quedan ordenadas por "<columna>" de mayor a menor

      Ejemplos:
        | columna          |
        | Sistema          |
        | Versión          |
        | USUARIOS         |
        | No. serie        |
        | Fecha Activación |
        | Próximo Pago     |

    Esquema del escenario: Agrupo las series por la columna "<columna>" y las desagrupo
      Cuando arrastro la columna "<columna>" al panel de agrupación
      Entonces cada serie queda en el grupo de su "<columna>"
      Cuando arrastro la agrupación "<columna>" fuera del panel
      Entonces las series ya no están agrupadas por "<columna>"

      Ejemplos:
        | columna          |
        | Sistema          |
        | Versión          |
        | USUARIOS         |
        | No. serie        |
        | Fecha Activación |
        | Próximo Pago     |
