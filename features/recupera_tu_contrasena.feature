# language: es
@no-doc @correo
Característica: Recupera tu contraseña
  Sino recuerdas la contraseña da clic en la opción **¿Olvidaste tu contraseña?**, deberás indicar la opción de recuperación en el cual se enviará la información al correo electrónico capturado en el alta de Mi cuenta Aspel.

  @mock
  Escenario: Recupero mi contraseña con el enlace que llega a mi correo
    Dado que tengo una cuenta Aspel
    Cuando abro la ventana MI CUENTA ASPEL
    Y doy clic en "¿Olvidaste tu contraseña?"
    Y indico mi usuario como opción de recuperación
    Entonces veo el mensaje "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado las instrucciones para recuperar tu contraseña."
    Cuando abro el correo "Recupera tu contraseña de Mi cuenta Aspel"
    Entonces el correo llegó a mi correo electrónico registrado en Mi cuenta Aspel
    Cuando abro el enlace del correo para cambiar mi contraseña
    Entonces veo la ventana para cambiar mi contraseña
    Cuando cambio mi contraseña por una nueva
    Entonces veo el mensaje "Tu contraseña se cambió. Inicia sesión con tu nueva contraseña."
    Cuando inicio sesión con mi contraseña anterior
    Entonces veo el mensaje "El usuario o la contraseña no son correctos."
    Cuando inicio sesión con mi contraseña nueva
    Entonces estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios

  @mock
  Escenario: También puedo indicar el correo electrónico registrado
    Dado que tengo una cuenta Aspel
    Cuando abro la ventana MI CUENTA ASPEL
    Y doy clic en "¿Olvidaste tu contraseña?"
    Y indico mi correo electrónico como opción de recuperación
    Entonces veo el mensaje "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado las instrucciones para recuperar tu contraseña."
    Y en mi correo hay 1 correo "Recupera tu contraseña de Mi cuenta Aspel"

  @seguridad
  Escenario: Un usuario que no existe recibe la misma respuesta
    Cuando abro la ventana MI CUENTA ASPEL
    Y doy clic en "¿Olvidaste tu contraseña?"
    Y indico un usuario que no existe como opción de recuperación
    Entonces veo el mensaje "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado las instrucciones para recuperar tu contraseña."

  @seguridad @mock
  Escenario: El enlace sirve una sola vez
    Dado que tengo una cuenta Aspel
    Y que solicité recuperar mi contraseña
    Cuando abro el enlace del correo para cambiar mi contraseña
    Y cambio mi contraseña por una nueva
    Y abro el enlace del correo para cambiar mi contraseña
    Entonces veo el mensaje "Este enlace para cambiar tu contraseña ya se utilizó."

  @seguridad @mock
  Escenario: El enlace vence a los 30 minutos
    Dado que tengo una cuenta Aspel
    Y que solicité recuperar mi contraseña
    Cuando pasan 31 minutos
    Y abro el enlace del correo para cambiar mi contraseña
    Entonces veo el mensaje "El enlace para cambiar tu contraseña venció."
    Cuando inicio sesión en Mi cuenta Aspel
    Entonces estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios

  @seguridad @mock
  Escenario: Un enlace alterado no cambia nada
    Dado que tengo una cuenta Aspel
    Y que solicité recuperar mi contraseña
    Cuando abro el enlace del correo alterado
    Entonces veo el mensaje "El enlace para cambiar tu contraseña no es válido."

  @mock
  Escenario: La nueva contraseña se escribe dos veces y tiene al menos 10 caracteres
    Dado que tengo una cuenta Aspel
    Y que solicité recuperar mi contraseña
    Cuando abro el enlace del correo para cambiar mi contraseña
    Y intento cambiar mi contraseña por una de 9 caracteres
    Entonces veo junto al campo Nueva contraseña el aviso "La contraseña debe tener al menos 10 caracteres."
    Cuando intento cambiar mi contraseña confirmándola con otra distinta
    Entonces veo junto al campo Confirma la contraseña el aviso "Las contraseñas no coinciden."

  @seguridad @mock
  Escenario: Pedir muchas veces la recuperación no llena mi correo
    Dado que tengo una cuenta Aspel
    Cuando solicito recuperar mi contraseña 4 veces
    Entonces en mi correo hay 3 correos "Recupera tu contraseña de Mi cuenta Aspel"
