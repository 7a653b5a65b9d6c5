# language: es
@no-doc @destructivo
Característica: La rejilla de Sistemas en Suscripción
  La lista de sistemas se comporta como la rejilla del sitio real: se agrupa arrastrando una
  columna al panel «Arrastra una columna aquí para agrupar por ella» y se ordena por columna.

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
