# language: es
Característica: Actualiza tu sistema a la nueva versión
  Recuerda que para realizar la actualización del sistema se tienen dos formas:

  @figura @mock @regla-5
  Escenario: Descargo la nueva versión desde aspel.com/descargas
    a) Ingresando a la página de [aspel.com/descargas](https://aspel.com/descargas)
    Figura 7 muestra el Centro de descargas de aspel.com con Aspel NOI 10.0 como Nueva versión, su archivo, tamaño y SHA-256, y su botón Descargar.

    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que acepté la actualización de mi serie de Aspel NOI 9.0
    Y que ingreso a la página aspel.com/descargas
    Entonces veo Aspel NOI 10.0 con su instalador, su tamaño y su SHA-256
    Y se captura la Figura 7 "Actualización del sistema desde aspel.com" con una flecha hacia "Descargar Aspel NOI 10.0"
    Cuando descargo el instalador de Aspel NOI 10.0
    Entonces la descarga es el instalador de Aspel NOI 10.0 con el nombre y el tamaño publicados
