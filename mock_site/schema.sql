-- The whole schema, run once on a new database by db.init_db (the only path: no table is added
-- to an older database; make sitio and the tests start from new ones). Queries are in store.py.

-- AUTOINCREMENT on every table whose id a URL or a session names (cuenta, correo, comentario;
-- serie for good measure): SQLite would otherwise hand a deleted row's id to the next row, and
-- whatever still pointed at the old one (a mail's address, a session's last comment) would show
-- the new row. /_control/reset empties the tables but keeps sqlite_sequence (store.reset).
CREATE TABLE cuenta (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    usuario TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    correo TEXT UNIQUE NOT NULL,  -- one mailbox per account: never shared (store.free_address)
    nombre TEXT NOT NULL,
    razon_social TEXT NOT NULL,
    rfc TEXT NOT NULL,
    intentos_fallidos INTEGER NOT NULL DEFAULT 0,
    bloqueada_hasta TEXT,
    reloj TEXT  -- this account's frozen clock (mock control), else the site's
);

CREATE TABLE sesion (
    id TEXT PRIMARY KEY,
    cuenta_id INTEGER NOT NULL REFERENCES cuenta (id)
);

CREATE TABLE serie (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    numero TEXT UNIQUE NOT NULL,
    cuenta_id INTEGER NOT NULL REFERENCES cuenta (id),
    sistema TEXT NOT NULL,
    version TEXT NOT NULL,
    modalidad TEXT NOT NULL,
    periodicidad TEXT,
    usuarios INTEGER NOT NULL,
    fecha_activacion TEXT NOT NULL,
    proximo_pago TEXT,
    reemplaza TEXT,
    reemplazada_por TEXT,
    sucesora TEXT  -- the serial its upgrade will issue when pinned (the tutorial world), else derived
);

CREATE TABLE correo (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cuenta_id INTEGER REFERENCES cuenta (id),
    para TEXT NOT NULL,
    asunto TEXT NOT NULL,
    texto TEXT NOT NULL,
    html TEXT NOT NULL,
    fecha TEXT NOT NULL,
    message_id TEXT NOT NULL
);

-- The site's clock: NULL follows the real time; ``ahora`` alone is frozen there (the figures, the
-- scenarios); ``ahora`` with ``desde`` (the real UTC instant it was set) runs from there at real
-- speed (make sitio: the tutorial's day, with every time limit ending; domain/clock.py).
CREATE TABLE reloj (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ahora TEXT,
    desde TEXT
);
INSERT INTO reloj (id, ahora, desde) VALUES (1, NULL, NULL);

-- ¿Olvidaste tu contraseña?: one row per link sent. The link carries the nonce (signed, with
-- its time); a used nonce no longer opens the page. Also the bookkeeping of the rate limit.
CREATE TABLE recuperacion (
    nonce TEXT PRIMARY KEY,
    cuenta_id INTEGER NOT NULL REFERENCES cuenta (id) ON DELETE CASCADE,
    creado TEXT NOT NULL,
    usado TEXT
);

-- The NOI 10.0 Asistente de activación (the desktop mock): one row per activated serial, with
-- the razón social printed on reports and receipts (the one registered at aspel.com until it is
-- changed in the system's settings; cuenta.razon_social never changes here).
CREATE TABLE activacion (
    numero TEXT PRIMARY KEY REFERENCES serie (numero) ON DELETE CASCADE,
    razon_social_reportes TEXT NOT NULL,
    activada TEXT NOT NULL
);

-- Dudas, comentarios y sugerencias sobre un tutorial (the form the tutorial's «aquí» opens): one
-- row per message, as it was sent.
CREATE TABLE comentario (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tutorial TEXT NOT NULL,
    comentario TEXT NOT NULL,
    recibido TEXT NOT NULL
);

-- Sessions end after 30 minutes without a request and 12 hours after the log-in, on the account's
-- clock (domain/sessions.py). A session without its row here has ended.
CREATE TABLE sesion_vigencia (
    sesion_id TEXT PRIMARY KEY REFERENCES sesion (id) ON DELETE CASCADE,
    iniciada TEXT NOT NULL,
    ultima TEXT NOT NULL
);

-- Failed log-ins of user names that have no account, counted and locked like an account's
-- (cuenta.intentos_fallidos, cuenta.bloqueada_hasta) so the answer does not tell them apart.
-- Bounded: the oldest rows go first (domain/lockout.py MAX_UNKNOWN_USERS, store.save_attempts).
CREATE TABLE intento_desconocido (
    usuario TEXT PRIMARY KEY,
    intentos_fallidos INTEGER NOT NULL DEFAULT 0,
    bloqueada_hasta TEXT,
    ultimo TEXT NOT NULL
);

-- ¿Olvidaste tu contraseña? for names without an account: the same bookkeeping as recuperacion
-- (a row per request, the same rate limit, kept only for the limit's window), so the request
-- costs the same and behaves the same whether the account exists or not.
CREATE TABLE recuperacion_desconocida (
    quien TEXT NOT NULL,
    creado TEXT NOT NULL,
    redactado TEXT
);

-- The webmail's key of each account's mailbox (/correo/<clave>/): random, stored, one per account
-- at a time. A new one replaces it when the password changes (store.change_password) and
-- store.revoke_mailbox drops it; it goes with its account. A key never opens another account.
CREATE TABLE buzon (
    clave TEXT PRIMARY KEY,
    cuenta_id INTEGER UNIQUE NOT NULL REFERENCES cuenta (id) ON DELETE CASCADE,
    creado TEXT NOT NULL
);
