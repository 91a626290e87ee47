-- The agent demo: a platform that runs coding agents on users' repositories (schema agent).
--
-- Pure DDL, no data. Needs the Supabase-compatible auth shim (schema auth, auth.users,
-- auth.uid(), roles anon/authenticated/service_role) in the database first.
--
-- Conventions: everything belongs to one user (user_id references agent.users), every
-- table has created_at/updated_at and a trigger keeping updated_at current, every foreign
-- key has an index, secrets are stored encrypted (bytea) or hashed (SHA-256), and Row Level
-- Security gives each user their own rows only: one policy per command,
-- user_id = (SELECT auth.uid()). A few tables break these conventions on purpose: see PLANTED.md.

CREATE SCHEMA agent;
COMMENT ON SCHEMA agent IS 'Coding-agent platform: users, their provider keys, connectors, and the tasks agents run.';

CREATE TYPE agent.task_status AS ENUM ('pending', 'running', 'completed', 'failed', 'cancelled');

CREATE FUNCTION agent.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ''
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION agent.set_updated_at() IS 'Trigger function: stamps updated_at on every update.';

-- Tables

CREATE TABLE agent.users (
    id                  uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
    username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9-]{1,38}$'),
    display_name        text,
    email               text NOT NULL,
    avatar_url          text,
    plan                text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'team')),
    max_concurrent_tasks smallint NOT NULL DEFAULT 2 CHECK (max_concurrent_tasks BETWEEN 1 AND 50),
    last_seen_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON agent.users
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.users IS 'People using the platform (one per auth.users row).';

CREATE TABLE agent.accounts (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    provider            text NOT NULL CHECK (provider IN ('github', 'gitlab', 'bitbucket')),
    provider_account_id text NOT NULL,
    username            text NOT NULL,
    access_token_encrypted bytea NOT NULL,
    refresh_token_encrypted bytea,
    token_expires_at    timestamptz,
    scope               text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_provider_account_key UNIQUE (provider, provider_account_id)
);
CREATE INDEX accounts_user_id_idx ON agent.accounts (user_id);
CREATE TRIGGER accounts_set_updated_at BEFORE UPDATE ON agent.accounts
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.accounts IS 'Linked source-code hosting accounts; OAuth tokens are stored encrypted.';

CREATE TABLE agent.keys (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    provider            text NOT NULL CHECK (provider IN ('anthropic', 'openai', 'google', 'mistral', 'openrouter')),
    label               text NOT NULL DEFAULT 'default',
    encrypted_key       bytea NOT NULL,
    key_hint            text CHECK (length(key_hint) <= 4),
    last_used_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT keys_user_id_provider_label_key UNIQUE (user_id, provider, label)
);
CREATE TRIGGER keys_set_updated_at BEFORE UPDATE ON agent.keys
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.keys IS 'Model provider API keys the user brings; encrypted by the application, last four characters kept as a hint.';

CREATE TABLE agent.api_tokens (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    name                text NOT NULL,
    token_hash          bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    token_prefix        text NOT NULL,
    scopes              text[] NOT NULL DEFAULT '{tasks:read}',
    expires_at          timestamptz,
    last_used_at        timestamptz,
    revoked_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user_id_idx ON agent.api_tokens (user_id);
CREATE TRIGGER api_tokens_set_updated_at BEFORE UPDATE ON agent.api_tokens
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.api_tokens IS 'Personal API tokens; only the SHA-256 hash of a token is stored.';

CREATE TABLE agent.tasks (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    title               text NOT NULL,
    prompt              text NOT NULL,
    repo_url            text NOT NULL,
    branch_name         text,
    selected_agent      text NOT NULL DEFAULT 'claude'
                        CHECK (selected_agent IN ('claude', 'codex', 'gemini', 'cursor', 'opencode')),
    selected_model      text,
    status              agent.task_status NOT NULL DEFAULT 'pending',
    progress            smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    logs                jsonb NOT NULL DEFAULT '[]'::jsonb,
    error               text,
    sandbox_id          text,
    pr_url              text,
    pr_number           integer,
    completed_at        timestamptz,
    deleted_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_user_id_created_at_idx ON agent.tasks (user_id, created_at DESC);
CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON agent.tasks
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.tasks IS 'A coding task run by an agent in a sandbox; soft-deleted with deleted_at.';

CREATE TABLE agent.task_messages (
    id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    task_id             uuid NOT NULL REFERENCES agent.tasks (id) ON DELETE CASCADE,
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    role                text NOT NULL CHECK (role IN ('user', 'agent', 'system', 'tool')),
    content             text NOT NULL,
    tokens              integer CHECK (tokens >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_messages_task_id_created_at_idx ON agent.task_messages (task_id, created_at);
CREATE TRIGGER task_messages_set_updated_at BEFORE UPDATE ON agent.task_messages
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.task_messages IS 'The conversation of a task: user prompts, agent replies, tool output.';

CREATE TABLE agent.connectors (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    name                text NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('mcp_stdio', 'mcp_http', 'webhook')),
    base_url            text,
    command             text,
    env_encrypted       bytea,
    webhook_secret      text,
    status              text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'disconnected', 'error')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT connectors_user_id_name_key UNIQUE (user_id, name)
);
CREATE TRIGGER connectors_set_updated_at BEFORE UPDATE ON agent.connectors
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.connectors IS 'MCP servers and webhooks a user connects to their agents; environment stored encrypted.';

CREATE TABLE agent.settings (
    user_id             uuid NOT NULL REFERENCES agent.users (id) ON DELETE CASCADE,
    key                 text NOT NULL,
    value               jsonb NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE TRIGGER settings_set_updated_at BEFORE UPDATE ON agent.settings
    FOR EACH ROW EXECUTE FUNCTION agent.set_updated_at();
COMMENT ON TABLE agent.settings IS 'Per-user preferences, one row per setting.';

-- Row Level Security: each user sees and changes their own rows only.

ALTER TABLE agent.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_select_own ON agent.users FOR SELECT TO authenticated
    USING (id = (SELECT auth.uid()));
CREATE POLICY users_insert_own ON agent.users FOR INSERT TO authenticated
    WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY users_update_own ON agent.users FOR UPDATE TO authenticated
    USING (id = (SELECT auth.uid()))
    WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY users_delete_own ON agent.users FOR DELETE TO authenticated
    USING (id = (SELECT auth.uid()));

ALTER TABLE agent.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_select_own ON agent.accounts FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY accounts_insert_own ON agent.accounts FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY accounts_update_own ON agent.accounts FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY accounts_delete_own ON agent.accounts FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY keys_select_own ON agent.keys FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY keys_insert_own ON agent.keys FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY keys_update_own ON agent.keys FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY keys_delete_own ON agent.keys FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_select_own ON agent.api_tokens FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY api_tokens_insert_own ON agent.api_tokens FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY api_tokens_update_own ON agent.api_tokens FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY api_tokens_delete_own ON agent.api_tokens FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_select_own ON agent.tasks FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY tasks_insert_own ON agent.tasks FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY tasks_update_own ON agent.tasks FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY tasks_delete_own ON agent.tasks FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.task_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY task_messages_select_own ON agent.task_messages FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY task_messages_insert_own ON agent.task_messages FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY task_messages_update_own ON agent.task_messages FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY task_messages_delete_own ON agent.task_messages FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.connectors ENABLE ROW LEVEL SECURITY;
CREATE POLICY connectors_select_own ON agent.connectors FOR SELECT TO authenticated
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY connectors_insert_own ON agent.connectors FOR INSERT TO authenticated
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY connectors_update_own ON agent.connectors FOR UPDATE TO authenticated
    USING (user_id = (SELECT auth.uid()))
    WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY connectors_delete_own ON agent.connectors FOR DELETE TO authenticated
    USING (user_id = (SELECT auth.uid()));

ALTER TABLE agent.settings ENABLE ROW LEVEL SECURITY;

-- Privileges: signed-in users and the service role work through the API roles; anon gets nothing.
GRANT USAGE ON SCHEMA agent TO authenticated, service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA agent TO authenticated, service_role;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA agent TO authenticated, service_role;
