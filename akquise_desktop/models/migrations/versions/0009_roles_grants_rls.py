"""roles, grants and row-level security on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14 09:00:00

A client talks to the server directly, so what a user may read and write must
hold in the database itself, not only in the controller. PostgreSQL only;
SQLite (one user) gets nothing.

**Roles** (cluster-wide, so named after the database — and the schema, when it
is not ``public``: ``<p>`` below is that prefix, see :func:`prefix`):

``<p>_owner`` (NOLOGIN)
    owns every table, sequence and function of the schema. Nobody logs in as
    it. ``db upgrade`` runs as a superuser, or as a login role that is a member
    of ``<p>_owner``: the migrations run under ``SET ROLE <p>_owner`` (env.py,
    and this migration from its end on), so what they create is the owner's.
    This first run needs a superuser or a role with CREATEROLE that owns the
    tables (it creates the roles and hands the tables over); such a role is
    made a member of ``<p>_owner``.
``<p>_users`` (NOLOGIN)
    the group of all application users: the minimal privileges, below. Each
    user is a login role of the same name as ``app_user.login``, a member of
    this group (made by the user administration: ``akq_create_login``).
``<p>_admins`` (NOLOGIN)
    service administrators: a member counts as an application administrator
    for the policies whether or not it is an ``app_user`` (the role that sets
    up a new database, maintenance scripts, the test suite's connection).
    Only a superuser or CREATEROLE can grant it.
``<p>_usermgr`` (NOLOGIN, CREATEROLE)
    owns only ``akq_create_login`` / ``akq_set_login_active`` (SECURITY
    DEFINER): administrators create and disable login roles through them and
    need no CREATEROLE themselves.

Role groups are not server roles: the policies look the user up in
``app_user`` by ``current_user`` (``login`` is unique and is the role's name)
and read its role group's rights. That is equivalent to a group role per role
group and needs no second copy to keep in step: an administrator's change of a
role group or its rights applies to the next statement.

**Privileges of ``<p>_users``**: SELECT on all tables; INSERT/UPDATE where the
controller writes; DELETE only on ``team``, ``role_group``,
``role_group_right``, ``campaign_status``, ``status_transition`` and
``saved_search`` (what the controller deletes; the policies limit them to
administrators, campaign managers and the search's owner). No DELETE on the
history (``activity``, ``status_change``, ``audit_entry``, ``bulk_change``,
``follow_up``, ``campaign_membership``): a bulk run's undo removes the rows
it created through ``akq_bulk_undo_delete`` (SECURITY DEFINER), which removes
only rows journaled as created by a bulk run of the caller (any run for an
administrator). ``status_change`` may be updated in its status columns only
(merging statuses), ``activity`` not in its keys, author or creation time. No
TRUNCATE, no DDL (no CREATE on the schema), no REFERENCES/TRIGGER.

**Row-level security** (the controller's scopes: none/own/team/all per
module, administrators all): a record is visible when its owner is within the
widest of the user's scopes on records, contacts, activities, cancelling
follow-ups and bulk editing; its contacts, memberships, activities, status
changes, follow-ups (and follow-ups assigned to the user) and search text with
it. Writes need the module's own scope: records (master data; a change of only
the derived columns — last activity, next follow-up — needs the activity
scope, checked by the trigger ``record_guard``), contacts, the chain
(activities, cancelling, bulk) for activities, status changes, memberships and
follow-ups; merging statuses (campaigns, all) may update any membership and
status change. Administration tables (users, teams, role groups, rights) are
readable by all users and writable only by administrators (and, in a database
without any user, by the role that sets it up); campaigns by the campaigns
right, activity types and settings by the settings right (scope all). Bulk
runs and saved searches are their user's. The audit trail is append-only; a
user reads the entries of what they may see, their own, or all as an
administrator. Nobody changes their own role group or login (trigger
``app_user_guard``). The policies apply to every role (PUBLIC) but the owner
and superusers; only ``<p>_users`` has the privileges to use them.

Helper functions (SECURITY DEFINER, owned by ``<p>_owner``, ``search_path``
pinned): ``akq_user_id()``, ``akq_is_admin()``, ``akq_team()``,
``akq_scope(modules)``, ``akq_owners(modules)``, ``akq_no_users()``; each
takes the role as an optional last argument (default ``current_user``,
evaluated in the caller's context). They reveal only what a user may read
anyway (users, teams, rights).

Later migrations that add a table give it its grants and policies.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Scope rank order, as models.people.Scope.rank.
SCOPES = "ARRAY['none', 'own', 'team', 'all']"
# Modules whose scope makes a record visible.
READ = "{records,contacts,activities,cancel_follow_ups,bulk_edit}"
# Modules that write the chain: activities, status changes, memberships, follow-ups.
CHAIN = "{activities,cancel_follow_ups,bulk_edit}"

RECORD_CHILDREN = [
    "contact",
    "activity",
    "status_change",
    "campaign_membership",
    "follow_up",
    "record_search_text",
]
ADMIN_TABLES = ["team", "role_group", "role_group_right"]
RLS_TABLES = [
    "record",
    *RECORD_CHILDREN,
    *ADMIN_TABLES,
    "app_user",
    "campaign",
    "campaign_status",
    "status_transition",
    "activity_type",
    "system_settings",
    "bulk_run",
    "bulk_change",
    "saved_search",
    "audit_entry",
]
INSERT_UPDATE = [
    "record",
    "contact",
    "campaign_membership",
    "follow_up",
    *ADMIN_TABLES,
    "app_user",
    "campaign",
    "campaign_status",
    "status_transition",
    "activity_type",
    "system_settings",
    "bulk_run",
    "saved_search",
]
INSERT_ONLY = ["activity", "status_change", "audit_entry", "bulk_change"]
DELETABLE = [*ADMIN_TABLES, "campaign_status", "status_transition", "saved_search"]
ACTIVITY_FIXED = {"id", "record_id", "user_id", "created_at"}


def prefix(database: str, schema: str) -> str:
    """The roles' common prefix: the database's name (and the schema's, if not
    ``public``), at most 55 characters so that ``_usermgr`` still fits."""
    base = database if schema == "public" else f"{database}_{schema}"
    return base[:55]


def _names(bind) -> tuple[str, dict[str, str]]:
    database, schema = bind.exec_driver_sql("SELECT current_database(), current_schema()").one()
    p = prefix(database, schema)
    return schema, {k: f"{p}_{k}" for k in ("owner", "users", "admins", "usermgr")}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def in_scope(column: str, modules: str) -> str:
    """``column`` (a record's owner) lies within the caller's widest scope on ``modules``."""
    return (
        f"((SELECT akq_scope('{modules}')) = 'all' "
        f"OR {column} = ANY ((SELECT akq_owners('{modules}'))::integer[]))"
    )


def record_in_scope(modules: str, column: str = "record_id") -> str:
    return (
        f"EXISTS (SELECT 1 FROM record r WHERE r.id = {column} "
        f"AND {in_scope('r.owner_id', modules)})"
    )


ADMIN = "(SELECT akq_is_admin())"
SETUP = "(SELECT akq_no_users())"


def _functions(schema: str, roles: dict[str, str]) -> list[str]:
    pinned = f"SET search_path = {q(schema)}, pg_temp"
    definer = f"STABLE SECURITY DEFINER {pinned}"
    return [
        f"""CREATE FUNCTION akq_role(kind text) RETURNS name LANGUAGE sql IMMUTABLE {pinned} AS $$
            SELECT (CASE kind WHEN 'owner' THEN {lit(roles["owner"])}
                              WHEN 'users' THEN {lit(roles["users"])}
                              WHEN 'admins' THEN {lit(roles["admins"])}
                              WHEN 'usermgr' THEN {lit(roles["usermgr"])} END)::name $$""",
        f"""CREATE FUNCTION akq_user_id(who name DEFAULT current_user) RETURNS integer
            LANGUAGE sql {definer} AS $$
            SELECT id FROM app_user WHERE login = who AND active $$""",
        f"""CREATE FUNCTION akq_team(who name DEFAULT current_user) RETURNS integer
            LANGUAGE sql {definer} AS $$
            SELECT team_id FROM app_user WHERE login = who AND active $$""",
        f"""CREATE FUNCTION akq_is_admin(who name DEFAULT current_user) RETURNS boolean
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who)
                   AND pg_has_role(who, {lit(roles["admins"])}, 'MEMBER') THEN
                    RETURN true;
                END IF;
                RETURN EXISTS (SELECT 1 FROM app_user u JOIN role_group g ON g.id = u.role_group_id
                               WHERE u.login = who AND u.active AND g.is_admin);
            END $$""",
        f"""CREATE FUNCTION akq_scope(modules text[], who name DEFAULT current_user) RETURNS text
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                IF akq_is_admin(who) THEN
                    RETURN 'all';
                END IF;
                RETURN coalesce((
                    SELECT ({SCOPES})[max(array_position({SCOPES}, r.scope))]
                      FROM app_user u JOIN role_group_right r ON r.role_group_id = u.role_group_id
                     WHERE u.login = who AND u.active AND r.module = ANY (modules)), 'none');
            END $$""",
        f"""CREATE FUNCTION akq_owners(modules text[], who name DEFAULT current_user)
            RETURNS integer[] LANGUAGE plpgsql {definer} AS $$
            DECLARE
                scope text := akq_scope(modules, who);
                me integer := akq_user_id(who);
                team integer := akq_team(who);
            BEGIN
                IF me IS NULL OR scope = 'none' THEN
                    RETURN '{{}}';
                ELSIF scope = 'own' OR team IS NULL THEN
                    RETURN ARRAY[me];
                END IF;  -- team (for all the policies ask akq_scope)
                RETURN ARRAY(SELECT id FROM app_user WHERE team_id = team OR id = me);
            END $$""",
        f"""CREATE FUNCTION akq_no_users() RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT NOT EXISTS (SELECT 1 FROM app_user) $$""",
        f"""CREATE FUNCTION akq_privileged() RETURNS boolean LANGUAGE sql STABLE {pinned} AS $$
            SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
                   OR pg_has_role(current_user, {lit(roles["owner"])}, 'USAGE') $$""",
        # The record an audited row belongs to (None: not a record's row).
        f"""CREATE FUNCTION akq_audit_visible(entity text, entity_id integer,
                                              who name DEFAULT current_user)
            RETURNS boolean LANGUAGE plpgsql {definer} AS $$
            DECLARE
                rid integer;
            BEGIN
                CASE entity
                    WHEN 'record' THEN rid := entity_id;
                    WHEN 'contact' THEN
                        SELECT record_id INTO rid FROM contact WHERE id = entity_id;
                    WHEN 'activity' THEN
                        SELECT record_id INTO rid FROM activity WHERE id = entity_id;
                    WHEN 'follow_up' THEN
                        SELECT record_id INTO rid FROM follow_up WHERE id = entity_id;
                    WHEN 'campaign_membership' THEN
                        SELECT record_id INTO rid FROM campaign_membership WHERE id = entity_id;
                    WHEN 'status_change' THEN
                        SELECT record_id INTO rid FROM status_change WHERE id = entity_id;
                    WHEN 'saved_search', 'bulk_run', 'bulk_change' THEN
                        RETURN false;
                    ELSE
                        RETURN true;  -- administration, campaigns, settings: readable by all
                END CASE;
                IF rid IS NULL THEN
                    RETURN false;  -- gone: only its author and administrators
                END IF;
                RETURN akq_scope('{READ}', who) = 'all'
                    OR (SELECT owner_id FROM record WHERE id = rid)
                       = ANY (akq_owners('{READ}', who));
            END $$""",
        # Record master data needs the records scope; the derived columns alone
        # (kept right by activities and follow-ups) the chain's.
        f"""CREATE FUNCTION akq_record_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$
            DECLARE
                derived text[] := '{{last_activity_at,next_follow_up_date}}';
            BEGIN
                IF akq_privileged() THEN
                    RETURN new;
                END IF;
                IF (to_jsonb(new) - derived) IS DISTINCT FROM (to_jsonb(old) - derived)
                   AND NOT (akq_scope('{{records}}') = 'all'
                            OR (old.owner_id = ANY (akq_owners('{{records}}'))
                                AND new.owner_id = ANY (akq_owners('{{records}}')))) THEN
                    RAISE EXCEPTION 'no right to change record %', old.id
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN new;
            END $$""",
        f"""CREATE FUNCTION akq_app_user_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$
            BEGIN
                IF NOT akq_privileged() AND old.login = current_user
                   AND (new.role_group_id IS DISTINCT FROM old.role_group_id
                        OR new.login IS DISTINCT FROM old.login) THEN
                    RAISE EXCEPTION 'nobody changes their own role group or login'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN new;
            END $$""",
        # A bulk run's undo: delete rows the caller's runs created (the caller
        # is the session's login: SECURITY DEFINER sees no other).
        f"""CREATE FUNCTION akq_bulk_undo_delete(entity text, ids integer[]) RETURNS integer
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER {pinned} AS $$
            DECLARE
                super boolean := coalesce(
                    (SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false);
                me integer := akq_user_id(session_user);
                admin boolean := akq_is_admin(session_user);
                n integer;
            BEGIN
                IF entity NOT IN ('follow_up', 'status_change', 'campaign_membership', 'activity')
                THEN
                    RAISE EXCEPTION 'not a bulk table: %', entity
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF NOT (super OR admin) AND EXISTS (
                    SELECT unnest(ids)
                    EXCEPT
                    SELECT c.entity_id FROM bulk_change c JOIN bulk_run r ON r.id = c.run_id
                     WHERE c.entity = akq_bulk_undo_delete.entity AND c.action = 'create'
                       AND r.user_id = me) THEN
                    RAISE EXCEPTION 'only rows created by one''s own bulk runs are undone'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                EXECUTE format('DELETE FROM %I WHERE id = ANY ($1)', entity) USING ids;
                GET DIAGNOSTICS n = ROW_COUNT;
                RETURN n;
            END $$""",
    ]


def _usermgr_functions(schema: str, roles: dict[str, str]) -> list[str]:
    """Login roles for application users, made and disabled by administrators.

    The caller is ``session_user`` (the login; SECURITY DEFINER hides any
    other). A password arrives only as a SCRAM verifier the client computed,
    and appears in no message. An existing role is taken only if it is ours
    (a member of ``<p>_users``) or a plain login role (no superuser, CREATEROLE,
    CREATEDB, REPLICATION or BYPASSRLS): never another database's owner or
    group roles. Disabling revokes the membership if the role is also a
    member elsewhere (another database's user), else sets NOLOGIN."""
    pinned = f"SET search_path = {q(schema)}, pg_temp"
    users = lit(roles["users"])
    check = f"""
                IF NOT (coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user),
                                 false)
                        OR akq_is_admin(session_user)) THEN
                    RAISE EXCEPTION 'only administrators manage login roles'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                SELECT r.oid, r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
                       OR r.rolbypassrls, r.rolcanlogin, pg_has_role(r.oid, {users}, 'MEMBER')
                  INTO oid_, special, can_login, ours
                  FROM pg_roles r WHERE r.rolname = login;"""
    return [
        f"""CREATE FUNCTION akq_create_login(login name, verifier text DEFAULT NULL)
            RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER {pinned} AS $$
            DECLARE
                oid_ oid; special boolean; can_login boolean; ours boolean;
            BEGIN
                {check}
                IF NOT EXISTS (SELECT 1 FROM app_user u WHERE u.login = akq_create_login.login)
                THEN
                    RAISE EXCEPTION 'no application user %', login
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF oid_ IS NULL THEN
                    EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', login, {users});
                    IF verifier IS NOT NULL THEN
                        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
                    END IF;
                    RETURN;
                END IF;
                IF special OR NOT (ours OR can_login) THEN
                    RAISE EXCEPTION 'the role % exists and is no application user''s', login
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF verifier IS NOT NULL THEN
                    RAISE EXCEPTION 'the role % exists: its password stays as it is', login
                        USING ERRCODE = 'duplicate_object';
                END IF;
                IF NOT ours THEN
                    EXECUTE format('GRANT %I TO %I', {users}, login);
                END IF;
                IF NOT can_login THEN
                    EXECUTE format('ALTER ROLE %I LOGIN', login);
                END IF;
            END $$""",
        f"""CREATE FUNCTION akq_set_login_active(login name, active boolean)
            RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER {pinned} AS $$
            DECLARE
                oid_ oid; special boolean; can_login boolean; ours boolean;
                elsewhere boolean;
            BEGIN
                {check}
                IF oid_ IS NULL OR special THEN
                    RETURN;  -- no login role of its own (or not ours to change)
                END IF;
                IF active THEN
                    IF NOT (ours OR can_login) THEN
                        RAISE EXCEPTION 'the role % exists and is no application user''s', login
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    IF NOT ours THEN
                        EXECUTE format('GRANT %I TO %I', {users}, login);
                    END IF;
                    IF NOT can_login THEN
                        EXECUTE format('ALTER ROLE %I LOGIN', login);
                    END IF;
                    RETURN;
                END IF;
                IF NOT ours THEN
                    RETURN;
                END IF;
                elsewhere := EXISTS (SELECT 1 FROM pg_auth_members m
                                      WHERE m.member = oid_ AND m.roleid <> {users}::regrole);
                IF elsewhere THEN
                    EXECUTE format('REVOKE %I FROM %I', {users}, login);
                ELSIF can_login THEN
                    EXECUTE format('ALTER ROLE %I NOLOGIN', login);
                END IF;
            END $$""",
    ]


FUNCTION_SIGNATURES = [
    "akq_role(text)",
    "akq_user_id(name)",
    "akq_team(name)",
    "akq_is_admin(name)",
    "akq_scope(text[], name)",
    "akq_owners(text[], name)",
    "akq_no_users()",
    "akq_privileged()",
    "akq_audit_visible(text, integer, name)",
    "akq_record_guard()",
    "akq_app_user_guard()",
    "akq_bulk_undo_delete(text, integer[])",
]
USERMGR_SIGNATURES = ["akq_create_login(name, text)", "akq_set_login_active(name, boolean)"]
SEARCH_FUNCTIONS = [
    "record_search_text_refresh(integer)",
    "record_search_text_on_record()",
    "record_search_text_on_contact()",
]


def _policies() -> dict[str, list[tuple[str, str, str | None, str | None]]]:
    """table -> [(name, command, USING, WITH CHECK)]."""
    visible = in_scope("owner_id", READ)
    record_visible = "EXISTS (SELECT 1 FROM record r WHERE r.id = record_id)"
    me = "(SELECT akq_user_id())"
    campaigns = "((SELECT akq_scope('{campaigns}')) = 'all')"
    settings = "((SELECT akq_scope('{settings}')) = 'all')"
    chain = record_in_scope(CHAIN)
    policies: dict[str, list[tuple[str, str, str | None, str | None]]] = {
        "record": [
            ("read", "SELECT", visible, None),
            ("add", "INSERT", None, in_scope("owner_id", "{records}")),
            ("change", "UPDATE", visible, visible),
        ],
        "contact": [
            ("read", "SELECT", record_visible, None),
            ("add", "INSERT", None, record_in_scope("{contacts}")),
            ("change", "UPDATE", record_in_scope("{contacts}"), record_in_scope("{contacts}")),
        ],
        "activity": [
            ("read", "SELECT", record_visible, None),
            ("add", "INSERT", None, f"{chain} AND (user_id = {me} OR {ADMIN})"),
            ("change", "UPDATE", record_in_scope("{activities}"), record_in_scope("{activities}")),
        ],
        "status_change": [
            ("read", "SELECT", record_visible, None),
            ("add", "INSERT", None, chain),
            ("merge", "UPDATE", campaigns, campaigns),
        ],
        "campaign_membership": [
            ("read", "SELECT", record_visible, None),
            ("add", "INSERT", None, chain),
            ("change", "UPDATE", f"({chain} OR {campaigns})", f"({chain} OR {campaigns})"),
        ],
        "follow_up": [
            ("read", "SELECT", f"({record_visible} OR assignee_id = {me})", None),
            ("add", "INSERT", None, chain),
            ("change", "UPDATE", chain, chain),
        ],
        "record_search_text": [("read", "SELECT", record_visible, None)],
        "app_user": [
            ("read", "SELECT", "true", None),
            ("add", "INSERT", None, f"({ADMIN} OR ({SETUP} AND login = current_user))"),
            ("change", "UPDATE", ADMIN, ADMIN),
        ],
        "campaign": [("read", "SELECT", "true", None)],
        "campaign_status": [("read", "SELECT", "true", None)],
        "status_transition": [("read", "SELECT", "true", None)],
        "activity_type": [("read", "SELECT", "true", None)],
        "system_settings": [("read", "SELECT", "true", None)],
        "bulk_run": [
            ("own", "ALL", f"(user_id = {me} OR {ADMIN})", f"(user_id = {me} OR {ADMIN})"),
        ],
        "bulk_change": [
            ("read", "SELECT", "EXISTS (SELECT 1 FROM bulk_run r WHERE r.id = run_id)", None),
            ("add", "INSERT", None, "EXISTS (SELECT 1 FROM bulk_run r WHERE r.id = run_id)"),
        ],
        "saved_search": [
            ("own", "ALL", f"(user_id = {me} OR {ADMIN})", f"(user_id = {me} OR {ADMIN})"),
        ],
        "audit_entry": [
            (
                "read",
                "SELECT",
                f"({ADMIN} OR user_id = {me} OR akq_audit_visible(entity, entity_id))",
                None,
            ),
            ("add", "INSERT", None, f"(user_id = {me} OR {ADMIN})"),
        ],
    }
    for table in ADMIN_TABLES:
        policies[table] = [
            ("read", "SELECT", "true", None),
            ("manage_insert", "INSERT", None, f"({ADMIN} OR {SETUP})"),
            ("manage_update", "UPDATE", f"({ADMIN} OR {SETUP})", f"({ADMIN} OR {SETUP})"),
            ("manage_delete", "DELETE", ADMIN, None),
        ]
    for table, right in [
        ("campaign", campaigns),
        ("campaign_status", campaigns),
        ("status_transition", campaigns),
        ("activity_type", f"({settings} OR {SETUP})"),
        ("system_settings", f"({settings} OR {SETUP})"),
    ]:
        policies[table] += [
            ("manage_insert", "INSERT", None, right),
            ("manage_update", "UPDATE", right, right),
        ]
        if table in DELETABLE:
            policies[table].append(("manage_delete", "DELETE", right, None))
    return policies


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema, roles = _names(bind)
    me, superuser, createrole = bind.exec_driver_sql(
        "SELECT current_user, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).one()
    if not (superuser or createrole):
        raise RuntimeError(
            f"Migration 0009 legt die Rollen {', '.join(roles.values())} an: Sie braucht einen "
            f"Superuser oder eine Rolle mit CREATEROLE (angemeldet als {me})."
        )
    # --- roles -------------------------------------------------------------------------
    for kind, name in roles.items():
        exists = bind.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).first()
        if not exists:
            extra = " CREATEROLE" if kind == "usermgr" else ""
            op.execute(f"CREATE ROLE {q(name)} NOLOGIN{extra}")
    if not superuser:  # to hand objects over, the running role must be able to act as them
        op.execute(f"GRANT {q(roles['owner'])}, {q(roles['usermgr'])} TO {q(me)}")
    # The user manager grants membership in the users group (ADMIN OPTION: PostgreSQL 16+).
    op.execute(f"GRANT {q(roles['users'])} TO {q(roles['usermgr'])} WITH ADMIN OPTION")
    database = str(bind.exec_driver_sql("SELECT current_database()").scalar())
    op.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {q(database)} TO {q(roles['users'])}")
    op.execute(f"GRANT CONNECT ON DATABASE {q(database)} TO {q(roles['owner'])}")
    op.execute(f"REVOKE CREATE ON SCHEMA {q(schema)} FROM PUBLIC")
    op.execute(f"GRANT USAGE, CREATE ON SCHEMA {q(schema)} TO {q(roles['owner'])}")
    op.execute(f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(roles['users'])}, {q(roles['usermgr'])}")
    # --- functions -----------------------------------------------------------------------
    for ddl in _functions(schema, roles):
        op.execute(ddl)
    for ddl in _usermgr_functions(schema, roles):
        op.execute(ddl)
    for sig in FUNCTION_SIGNATURES + USERMGR_SIGNATURES:
        op.execute(f"REVOKE ALL ON FUNCTION {sig} FROM PUBLIC")
    for sig in FUNCTION_SIGNATURES:
        op.execute(f"GRANT EXECUTE ON FUNCTION {sig} TO {q(roles['users'])}")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION akq_is_admin(name), akq_user_id(name) TO {q(roles['usermgr'])}"
    )
    for sig in USERMGR_SIGNATURES:
        op.execute(f"GRANT EXECUTE ON FUNCTION {sig} TO {q(roles['users'])}")
    op.execute(f"GRANT SELECT (login) ON app_user TO {q(roles['usermgr'])}")
    # The search text (0006) is written by its triggers as the owner: users
    # write no search text of their own and read it under the record's policy.
    for sig in SEARCH_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {sig} SECURITY DEFINER SET search_path = {q(schema)}, pg_temp")
    op.execute(
        "CREATE TRIGGER akq_record_guard BEFORE UPDATE ON record "
        "FOR EACH ROW EXECUTE FUNCTION akq_record_guard()"
    )
    op.execute(
        "CREATE TRIGGER akq_app_user_guard BEFORE UPDATE ON app_user "
        "FOR EACH ROW EXECUTE FUNCTION akq_app_user_guard()"
    )
    # --- ownership -----------------------------------------------------------------------
    owned = bind.exec_driver_sql(
        "SELECT c.relname, c.relkind, EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
        "AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass) FROM pg_class c "
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'S') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
    ).all()
    for name, kind, linked in owned:
        if not linked:  # a serial column's sequence follows its table
            keyword = "SEQUENCE" if kind == "S" else "TABLE"
            op.execute(f"ALTER {keyword} {q(name)} OWNER TO {q(roles['owner'])}")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text, p.proname FROM pg_proc p "
        "WHERE p.pronamespace = current_schema()::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
    ).all()
    usermgr_names = {s.split("(")[0] for s in USERMGR_SIGNATURES}
    # A new owner needs CREATE on the schema (for the moment of the change only).
    op.execute(f"GRANT CREATE ON SCHEMA {q(schema)} TO {q(roles['usermgr'])}")
    for signature, name in functions:
        who = roles["usermgr"] if name in usermgr_names else roles["owner"]
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {q(who)}")
    op.execute(f"REVOKE CREATE ON SCHEMA {q(schema)} FROM {q(roles['usermgr'])}")
    # --- privileges ----------------------------------------------------------------------
    users = q(roles["users"])
    tables = [name for name, kind, _linked in owned if kind == "r"]
    for name in tables:
        op.execute(f"REVOKE ALL ON TABLE {q(name)} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON TABLE {q(name)} TO {users}")
    for name in INSERT_UPDATE:
        op.execute(f"GRANT INSERT, UPDATE ON TABLE {q(name)} TO {users}")
    for name in INSERT_ONLY:
        op.execute(f"GRANT INSERT ON TABLE {q(name)} TO {users}")
    for name in DELETABLE:
        op.execute(f"GRANT DELETE ON TABLE {q(name)} TO {users}")
    op.execute(f"GRANT UPDATE (from_status_id, to_status_id) ON status_change TO {users}")
    columns = bind.exec_driver_sql(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'activity' "
        "ORDER BY ordinal_position"
    ).scalars()
    changeable = ", ".join(q(c) for c in columns if c not in ACTIVITY_FIXED)
    op.execute(f"GRANT UPDATE ({changeable}) ON activity TO {users}")
    for name, kind, _linked in owned:
        if kind == "S":
            op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {q(name)} TO {users}")
    # --- row-level security --------------------------------------------------------------
    for table, policies in _policies().items():
        op.execute(f"ALTER TABLE {q(table)} ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in policies:
            parts = [f"CREATE POLICY {q(name)} ON {q(table)} FOR {command}"]
            if using is not None:
                parts.append(f"USING ({using})")
            if check is not None:
                parts.append(f"WITH CHECK ({check})")
            op.execute(" ".join(parts))
    # From here on (later migrations of this run, too) the owner creates.
    op.execute(f"SET LOCAL ROLE {q(roles['owner'])}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("RESET ROLE")
    _schema, roles = _names(bind)
    me = str(bind.exec_driver_sql("SELECT current_user").scalar())
    for table, policies in _policies().items():
        for name, _command, _using, _check in policies:
            op.execute(f"DROP POLICY IF EXISTS {q(name)} ON {q(table)}")
        op.execute(f"ALTER TABLE {q(table)} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP TRIGGER IF EXISTS akq_record_guard ON record")
    op.execute("DROP TRIGGER IF EXISTS akq_app_user_guard ON app_user")
    for sig in SEARCH_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {sig} SECURITY INVOKER RESET search_path")
    for sig in FUNCTION_SIGNATURES + USERMGR_SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {sig}")
    database = str(bind.exec_driver_sql("SELECT current_database()").scalar())
    # Everything back to the role running the downgrade; the group roles go.
    for kind in ("owner", "usermgr"):
        op.execute(f"REASSIGN OWNED BY {q(roles[kind])} TO {q(me)}")
    for kind in ("users", "admins", "usermgr", "owner"):
        op.execute(f"DROP OWNED BY {q(roles[kind])}")
        op.execute(f"REVOKE ALL ON DATABASE {q(database)} FROM {q(roles[kind])}")
        op.execute(f"DROP ROLE IF EXISTS {q(roles[kind])}")
