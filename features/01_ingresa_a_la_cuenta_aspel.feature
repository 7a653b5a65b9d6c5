# language: es
Característica: 1 Ingresa a la cuenta Aspel

  @figura
  Escenario: Localizo Mi cuenta Aspel en aspel.com.mx
    a) Deberás ingresar a la página [aspel.com.mx](https://www.aspel.com.mx), en la parte superior de la página localiza **Mi cuenta Aspel**.
    Figura 1 muestra la página de inicio de aspel.com.mx; en la parte superior derecha, el botón Mi cuenta Aspel.

    Dado que ingreso a aspel.com.mx
    Cuando localizo "Mi cuenta Aspel" en la parte superior de la página
    Entonces se captura la Figura 1 "Página aspel.com.mx" resaltando "Mi cuenta Aspel"

  @figura
  Escenario: Inicio sesión con mi usuario y contraseña
    b) Se mostrara la ventana para ingresar los datos de **MI CUENTA ASPEL** que son: usuario y Contraseña y da clic en **Iniciar sesión**.
    Sino recuerdas la contraseña da clic en la opción **¿Olvidaste tu contraseña?**, deberás indicar la opción de recuperación en el cual se enviará la información al correo electrónico capturado en el alta de Mi cuenta Aspel.
    Figura 2 muestra la ventana MI CUENTA ASPEL con los campos Usuario y Contraseña, la opción ¿Olvidaste tu contraseña? y el botón Iniciar sesión.

    Dado que tengo una cuenta Aspel
    Cuando abro la ventana MI CUENTA ASPEL
    Entonces se captura la Figura 2 "Inicio de sesión Mi cuenta Aspel" recortada a "MI CUENTA ASPEL" con el número 1 en "Iniciar sesión" y el número 2 en "¿Olvidaste tu contraseña?"
    Cuando escribo mi usuario y mi contraseña
    Y doy clic en "Iniciar sesión"
    Entonces estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios

  @no-doc
  Escenario: Una contraseña equivocada no entra a la cuenta
    Dado que tengo una cuenta Aspel
    Cuando abro la ventana MI CUENTA ASPEL
    Y escribo mi usuario y una contraseña equivocada
    Y doy clic en "Iniciar sesión"
    Entonces veo el mensaje "El usuario o la contraseña no son correctos."
    Y sigo en la ventana MI CUENTA ASPEL

  @no-doc
  Escenario: Los campos vacíos piden su dato
    Cuando abro la ventana MI CUENTA ASPEL
    Y doy clic en "Iniciar sesión"
    Entonces veo junto al campo Usuario el aviso "Escribe tu usuario."
    Y veo junto al campo Contraseña el aviso "Escribe tu contraseña."

  @no-doc
  Escenario: ¿Olvidaste tu contraseña? lleva a recuperar la contraseña
    Cuando abro la ventana MI CUENTA ASPEL
    Y doy clic en "¿Olvidaste tu contraseña?"
    Entonces veo la ventana RECUPERA TU CONTRASEÑA
