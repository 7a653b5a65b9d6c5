# language: es
@no-doc @seguridad
Característica: Mi cuenta Aspel se protege del abuso
  Como un sitio cuidadoso, aspel.com bloquea por un tiempo la cuenta tras varias contraseñas
  equivocadas, pide iniciar sesión para ver cualquier página de Mi cuenta Aspel, termina la
  sesión al cerrarla, no muestra a nadie lo de otra cuenta y muestra como texto, sin ejecutarlo,
  lo que se escribe en sus campos.

  @mock
  Escenario: Cinco contraseñas equivocadas bloquean la cuenta
    Dado que tengo una cuenta Aspel
    Cuando abro la ventana MI CUENTA ASPEL
    Y intento 4 veces iniciar sesión con una contraseña equivocada
    Entonces veo el mensaje "El usuario o la contraseña no son correctos."
    Cuando intento 1 vez más iniciar sesión con una contraseña equivocada
    Entonces veo el mensaje "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos. Intenta de nuevo en 15 minutos o recupera tu contraseña."
    Y sigo en la ventana MI CUENTA ASPEL

  @mock
  Escenario: Durante el bloqueo ni la contraseña correcta entra
    Dado que tengo una cuenta Aspel
    Y que mi cuenta se bloqueó por 5 contraseñas equivocadas
    Cuando abro la ventana MI CUENTA ASPEL
    Y intento iniciar sesión con mi usuario y mi contraseña
    Entonces veo el mensaje "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos. Intenta de nuevo en 15 minutos o recupera tu contraseña."
    Y sigo en la ventana MI CUENTA ASPEL

  @mock
  Escenario: El bloqueo termina solo a los 15 minutos
    Dado que tengo una cuenta Aspel
    Y que mi cuenta se bloqueó por 5 contraseñas equivocadas
    Cuando han pasado 14 minutos desde el bloqueo
    Y abro la ventana MI CUENTA ASPEL
    Y intento iniciar sesión con mi usuario y mi contraseña
    Entonces veo el mensaje "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos. Intenta de nuevo en 15 minutos o recupera tu contraseña."
    Cuando han pasado 15 minutos desde el bloqueo
    Y inicio sesión en Mi cuenta Aspel
    Entonces estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios

  Escenario: Una página de Mi cuenta Aspel pide iniciar sesión y después regresa a ella
    Dado que tengo una cuenta Aspel
    Cuando abro la dirección de Mis servicios > Suscripciones sin haber iniciado sesión
    Entonces veo la ventana MI CUENTA ASPEL
    Cuando intento iniciar sesión con mi usuario y mi contraseña
    Entonces veo la ventana Sistemas en Suscripción

  Escenario: Después de cerrar sesión el botón Atrás pide iniciar sesión otra vez
    Dado que tengo una cuenta Aspel
    Y que estoy en Mis servicios > Suscripciones
    Cuando doy clic en "Cerrar sesión"
    Entonces veo el mensaje "Cerraste tu sesión."
    Cuando regreso con el botón Atrás del navegador
    Entonces veo la ventana MI CUENTA ASPEL
    Y no veo Sistemas en Suscripción

  Escenario: Después de cerrar sesión volver a abrir la página pide iniciar sesión otra vez
    Dado que tengo una cuenta Aspel
    Y que estoy en Mis servicios > Suscripciones
    Cuando doy clic en "Cerrar sesión"
    Y abro otra vez la dirección de Mis servicios > Suscripciones
    Entonces veo la ventana MI CUENTA ASPEL
    Y no veo Sistemas en Suscripción

  Escenario: El código HTML escrito en el usuario se muestra como texto y no se ejecuta
    Cuando abro la ventana MI CUENTA ASPEL
    Y intento iniciar sesión con un código HTML con un script como usuario
    Entonces veo el mensaje "El usuario o la contraseña no son correctos."
    Y el campo Usuario muestra el código tal como lo escribí
    Y el código no se ejecutó

  @mock
  Escenario: La serie de otra cuenta no se puede abrir
    Dado que tengo Aspel NOI 9.0 en suscripción mensual
    Y que estoy en Mis servicios > Suscripciones
    Cuando abro la dirección de Actualiza la serie con la serie de otra cuenta
    Entonces veo la ventana Página no encontrada
    Y no veo la ventana Actualiza la versión de tu sistema

  Escenario: Una dirección que no existe muestra la página del sitio
    Cuando abro una dirección de aspel.com.mx que no existe
    Entonces veo la ventana Página no encontrada
    Y veo el enlace "Regresar a aspel.com.mx"

  @mock
  Escenario: La sesión termina tras 30 minutos sin actividad
    Dado que tengo una cuenta Aspel
    Y que estoy en Mis servicios > Suscripciones
    Cuando pasan 29 minutos sin que haga nada en la página
    Y abro otra vez la dirección de Mis servicios > Suscripciones
    Entonces veo la ventana Sistemas en Suscripción
    Cuando pasan 30 minutos sin que haga nada en la página
    Y abro otra vez la dirección de Mis servicios > Suscripciones
    Entonces veo la ventana MI CUENTA ASPEL
    Y no veo Sistemas en Suscripción

  @mock
  Escenario: La sesión termina a las 12 horas aunque se use
    Dado que tengo una cuenta Aspel
    Y que estoy en Mis servicios > Suscripciones
    Cuando uso la página cada 25 minutos durante 11 horas y 55 minutos
    Entonces veo la ventana Sistemas en Suscripción
    Cuando pasan 5 minutos sin que haga nada en la página
    Y abro otra vez la dirección de Mis servicios > Suscripciones
    Entonces veo la ventana MI CUENTA ASPEL
    Y no veo Sistemas en Suscripción

  Escenario: Un usuario que no existe recibe el mismo bloqueo que una cuenta
    Cuando abro la ventana MI CUENTA ASPEL
    Y intento 4 veces iniciar sesión con un usuario que no existe
    Entonces veo el mensaje "El usuario o la contraseña no son correctos."
    Cuando intento 1 vez más iniciar sesión con ese usuario
    Entonces veo el mensaje "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos. Intenta de nuevo en 15 minutos o recupera tu contraseña."
    Y sigo en la ventana MI CUENTA ASPEL

  @mock
  Escenario: Una solicitud que nombra otro sitio no envía enlaces de recuperación
    Dado que tengo una cuenta Aspel
    Cuando alguien pide recuperar mi contraseña con el nombre de otro sitio en la solicitud
    Entonces la respuesta es la página "Sitio no reconocido"
    Y no recibo ningún correo para recuperar mi contraseña
