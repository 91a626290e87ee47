-- Data for the agent demo, generated on the server (needs gen_hash.sql and gen_common.sql in the session).
--
-- Steps are marked "-- step: NAME" and run in order, each in its own transaction.
-- Users are numbered 1..N and tasks 1..M; ids are uuids derived from those numbers, so a
-- message can name its task and user without looking them up. A few power users run most
-- tasks. The platform opened about eighteen months before the snapshot date.

-- step: plan
CREATE FUNCTION pg_temp.n_users() RETURNS bigint
    LANGUAGE sql STABLE
AS $$ SELECT greatest(20, round(5000 * pg_temp.scale()))::bigint $$;

CREATE FUNCTION pg_temp.n_tasks() RETURNS bigint
    LANGUAGE sql STABLE
AS $$ SELECT greatest(100, round(100000 * pg_temp.scale()))::bigint $$;

CREATE FUNCTION pg_temp.user_uuid(k bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT md5('agent-user-' || k::text)::uuid $$;

CREATE FUNCTION pg_temp.task_uuid(n bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT md5('agent-task-' || n::text)::uuid $$;

-- The day user k signed up: within the first year of the platform.
CREATE FUNCTION pg_temp.signup_day(k bigint) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT DATE '2026-10-31' - 540 + floor(power(pg_temp.u(k, 1), 1.5) * 400)::integer $$;

-- The user of task n: power users (low numbers) run most tasks.
CREATE FUNCTION pg_temp.task_user(n bigint, users bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 1 + floor(power(pg_temp.u(n, 2), 3) * users)::bigint $$;

-- When task n was created: after its user signed up, more tasks in recent months.
CREATE FUNCTION pg_temp.task_created(n bigint, users bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT pg_temp.at(pg_temp.signup_day(pg_temp.task_user(n, users))
                      + floor(sqrt(pg_temp.u(n, 3))
                              * (DATE '2026-10-31' + 1 - pg_temp.signup_day(pg_temp.task_user(n, users))))::integer,
                      n, 4)
           + make_interval(secs => pg_temp.pick(n, 5, 60)::double precision)
$$;

-- How many messages task n has.
CREATE FUNCTION pg_temp.message_count(n bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (2 + pg_temp.pick(n, 6, 17))::integer $$;

-- Bytes that look like ciphertext: a version byte, then 76 pseudo-random bytes.
CREATE FUNCTION pg_temp.sealed(label text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT '\x01'::bytea || sha256(convert_to(label, 'UTF8')) || sha256(convert_to(label || '/2', 'UTF8'))
           || substring(sha256(convert_to(label || '/3', 'UTF8')) FROM 1 FOR 12)
$$;

CREATE TEMP TABLE gen_user AS
SELECT k, pg_temp.user_uuid(k) AS user_id,
       pg_temp.word(pg_temp.first_names(), k, 11) AS first_name,
       pg_temp.word(pg_temp.last_names(), k, 12) AS last_name,
       pg_temp.at(pg_temp.signup_day(k), k, 13) AS created_at
FROM generate_series(1, pg_temp.n_users()) AS k;
ALTER TABLE gen_user ADD COLUMN username text;
UPDATE gen_user SET username = lower(left(first_name, 1) || last_name) || '-' || k::text;
CREATE UNIQUE INDEX ON gen_user (k);
ANALYZE gen_user;

-- step: users
INSERT INTO auth.users (id, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
SELECT g.user_id, g.username || '@' || pg_temp.word(ARRAY['example.com', 'example.org', 'example.net'], g.k, 14),
       jsonb_build_object('full_name', g.first_name || ' ' || g.last_name, 'user_name', g.username),
       '{"provider": "github", "providers": ["github"]}'::jsonb,
       g.created_at, g.created_at
FROM gen_user AS g;

INSERT INTO agent.users (id, username, display_name, email, avatar_url, plan, max_concurrent_tasks,
                         last_seen_at, created_at, updated_at)
SELECT g.user_id, g.username, g.first_name || ' ' || g.last_name,
       g.username || '@' || pg_temp.word(ARRAY['example.com', 'example.org', 'example.net'], g.k, 14),
       'https://avatars.example.com/u/' || (100000 + g.k)::text,
       p.plan, CASE p.plan WHEN 'team' THEN 10 WHEN 'pro' THEN 5 ELSE 2 END,
       pg_temp.snapshot() - make_interval(hours => pg_temp.pick(g.k, 16, 2000)::integer),
       g.created_at, g.created_at + make_interval(days => pg_temp.pick(g.k, 17, 60)::integer)
FROM gen_user AS g
CROSS JOIN LATERAL (SELECT CASE WHEN g.k <= 50 THEN 'team'
       ELSE pg_temp.weighted(ARRAY['free', 'pro', 'team'], ARRAY[0.70, 0.95], g.k, 15) END AS plan) AS p;

-- step: accounts
INSERT INTO agent.accounts (id, user_id, provider, provider_account_id, username, access_token_encrypted,
                            refresh_token_encrypted, token_expires_at, scope, created_at, updated_at)
SELECT md5('agent-account-' || a.provider || '-' || g.k::text)::uuid, g.user_id, a.provider,
       (1000000 + g.k * 7 + a.i)::text, g.username,
       pg_temp.sealed('access-' || a.provider || g.k::text),
       CASE WHEN a.provider <> 'github' THEN pg_temp.sealed('refresh-' || a.provider || g.k::text) END,
       pg_temp.snapshot() + make_interval(hours => (1 + pg_temp.pick(g.k * 7 + a.i, 21, 8))::integer),
       CASE a.provider WHEN 'github' THEN 'repo,read:user,workflow' ELSE 'api read_user' END,
       g.created_at, g.created_at
FROM gen_user AS g
CROSS JOIN LATERAL (VALUES (1, 'github'), (2, 'gitlab'), (3, 'bitbucket')) AS a(i, provider)
WHERE (a.i = 1 AND pg_temp.u(g.k, 22) < 0.96)
   OR (a.i = 2 AND pg_temp.u(g.k, 23) < 0.18)
   OR (a.i = 3 AND pg_temp.u(g.k, 24) < 0.05);

-- step: keys
INSERT INTO agent.keys (id, user_id, provider, label, encrypted_key, key_hint, last_used_at, created_at, updated_at)
SELECT md5('agent-key-' || g.k::text || '-' || p.provider)::uuid, g.user_id, p.provider, 'default',
       pg_temp.sealed('key-' || p.provider || g.k::text),
       substring(md5('key-' || p.provider || g.k::text) FROM 29 FOR 4),
       pg_temp.snapshot() - make_interval(hours => pg_temp.pick(g.k * 8 + p.i, 31, 3000)::integer),
       g.created_at + interval '10 minutes', g.created_at + interval '10 minutes'
FROM gen_user AS g
CROSS JOIN LATERAL (VALUES (1, 'anthropic', 0.85), (2, 'openai', 0.45), (3, 'google', 0.15),
                           (4, 'mistral', 0.04), (5, 'openrouter', 0.08)) AS p(i, provider, share)
WHERE pg_temp.u(g.k * 8 + p.i, 32) < p.share;

-- step: api_tokens
INSERT INTO agent.api_tokens (id, user_id, name, token_hash, token_prefix, scopes, expires_at, last_used_at,
                              revoked_at, created_at, updated_at)
SELECT md5('agent-token-' || t.n::text)::uuid, g.user_id,
       pg_temp.word(ARRAY['CI', 'laptop', 'GitHub Actions', 'deploy bot', 'VS Code'], t.n, 41),
       sha256(convert_to('wbt_' || md5('agent-token-secret-' || t.n::text), 'UTF8')),
       'wbt_' || left(md5('agent-token-secret-' || t.n::text), 6),
       CASE WHEN pg_temp.u(t.n, 42) < 0.3 THEN '{tasks:read,tasks:write}'::text[] ELSE '{tasks:read}'::text[] END,
       CASE WHEN pg_temp.u(t.n, 43) < 0.6 THEN g.created_at + interval '1 year' END,
       pg_temp.snapshot() - make_interval(hours => pg_temp.pick(t.n, 44, 4000)::integer),
       CASE WHEN pg_temp.u(t.n, 45) < 0.12 THEN g.created_at + interval '90 days' END,
       g.created_at + interval '1 day', g.created_at + interval '1 day'
FROM gen_user AS g
CROSS JOIN LATERAL generate_series(1, (1 + pg_temp.pick(g.k, 46, 3))::integer) AS i
CROSS JOIN LATERAL (SELECT g.k * 4 + i AS n) AS t
WHERE pg_temp.u(g.k, 47) < 0.3;

-- step: tasks
INSERT INTO agent.tasks (id, user_id, title, prompt, repo_url, branch_name, selected_agent, selected_model,
                         status, progress, logs, error, sandbox_id, pr_url, pr_number, completed_at,
                         deleted_at, created_at, updated_at)
SELECT pg_temp.task_uuid(t.n), pg_temp.user_uuid(t.user_k), t.title,
       t.title || ' in ' || t.repo || '. ' || pg_temp.word(ARRAY[
           'Keep the public API unchanged and add tests.',
           'Follow the existing code style; run the linter before committing.',
           'Open a pull request when the tests pass.',
           'Explain the root cause in the PR description.',
           'Do not touch the database migrations.'], t.n, 51),
       'https://github.com/' || u.username || '/' || t.repo,
       CASE WHEN t.status <> 'pending' THEN 'agent/' || left(md5(t.n::text), 8) END,
       t.agent,
       CASE t.agent WHEN 'claude' THEN 'claude-sonnet-4-5' WHEN 'codex' THEN 'gpt-5-codex'
                    WHEN 'gemini' THEN 'gemini-2.5-pro' WHEN 'cursor' THEN 'cursor-fast' ELSE 'open-model' END,
       t.status::agent.task_status,
       CASE t.status WHEN 'completed' THEN 100 WHEN 'pending' THEN 0
                     ELSE pg_temp.pick(t.n, 52, 100)::integer END,
       jsonb_build_array(
           jsonb_build_object('at', t.created_at, 'level', 'info', 'message', 'Sandbox created'),
           jsonb_build_object('at', t.created_at + interval '20 seconds', 'level', 'info', 'message', 'Repository cloned'),
           jsonb_build_object('at', t.created_at + interval '3 minutes', 'level',
                              CASE t.status WHEN 'failed' THEN 'error' ELSE 'info' END,
                              'message', CASE t.status WHEN 'failed' THEN 'Agent stopped with an error'
                                                       WHEN 'completed' THEN 'Changes pushed'
                                                       ELSE 'Agent working' END)),
       CASE WHEN t.status = 'failed' THEN pg_temp.word(ARRAY['Sandbox timed out after 30 minutes',
           'Tests failed: 3 failing', 'Could not push: branch protection', 'Model rate limit exceeded',
           'Out of memory while installing dependencies'], t.n, 53) END,
       CASE WHEN t.status <> 'pending' THEN 'sbx_' || left(md5('sandbox-' || t.n::text), 12) END,
       CASE WHEN t.has_pr THEN 'https://github.com/' || u.username || '/' || t.repo || '/pull/' || t.pr_number::text END,
       CASE WHEN t.has_pr THEN t.pr_number END,
       CASE WHEN t.status IN ('completed', 'failed', 'cancelled')
            THEN t.created_at + make_interval(mins => (2 + pg_temp.pick(t.n, 54, 40))::integer) END,
       CASE WHEN pg_temp.u(t.n, 55) < 0.08 THEN t.created_at + interval '2 days' END,
       t.created_at,
       least(t.created_at + make_interval(mins => (2 + pg_temp.pick(t.n, 54, 40))::integer), pg_temp.snapshot())
FROM (
    SELECT x.*,
           x.status = 'completed' AND pg_temp.u(x.n, 56) < 0.65 AS has_pr,
           (1 + pg_temp.pick(x.n, 57, 400))::integer AS pr_number
    FROM (
        SELECT y.*, CASE
               WHEN y.created_at > pg_temp.snapshot() - interval '12 hours' THEN
                    pg_temp.weighted(ARRAY['pending', 'running', 'completed', 'failed', 'cancelled'],
                                     ARRAY[0.15, 0.50, 0.85, 0.95], y.n, 58)
               ELSE pg_temp.weighted(ARRAY['completed', 'failed', 'cancelled'], ARRAY[0.80, 0.93], y.n, 58)
               END AS status
        FROM (
            SELECT n, pg_temp.task_user(n, pg_temp.n_users()) AS user_k,
                   pg_temp.task_created(n, pg_temp.n_users()) AS created_at,
                   pg_temp.word(ARRAY['Fix flaky login test', 'Add pagination to the orders API',
                       'Upgrade to React 19', 'Migrate CI to GitHub Actions', 'Add dark mode',
                       'Refactor the payment service', 'Write docs for the CLI', 'Fix N+1 query on dashboard',
                       'Add rate limiting', 'Bump dependencies', 'Add OpenAPI schema', 'Fix memory leak in worker',
                       'Add retry to webhook sender', 'Translate UI to German', 'Speed up the test suite'],
                       n, 59) AS title,
                   pg_temp.word(ARRAY['web-app', 'api', 'infra', 'mobile', 'docs', 'cli', 'worker',
                       'dashboard', 'sdk-python', 'sdk-js'], n, 60) AS repo,
                   pg_temp.weighted(ARRAY['claude', 'codex', 'gemini', 'cursor', 'opencode'],
                                    ARRAY[0.55, 0.80, 0.90, 0.97], n, 61) AS agent
            FROM generate_series(1, pg_temp.n_tasks()) AS n
            OFFSET 0
        ) AS y
        OFFSET 0
    ) AS x
    OFFSET 0
) AS t
JOIN gen_user AS u ON u.k = t.user_k;

-- step: task_messages
INSERT INTO agent.task_messages (id, task_id, user_id, role, content, tokens, created_at, updated_at)
SELECT m.id, pg_temp.task_uuid(m.n), pg_temp.user_uuid(pg_temp.task_user(m.n, pg_temp.n_users())),
       m.role, m.content, (length(m.content) / 4)::integer, m.at, m.at
FROM (
    SELECT t.offs + k AS id, t.n, t.created_at + make_interval(secs => (k * 17)::double precision) AS at,
           CASE WHEN k = 1 THEN 'user'
                ELSE pg_temp.weighted(ARRAY['agent', 'tool', 'user', 'system'], ARRAY[0.55, 0.90, 0.98],
                                      t.n * 32 + k, 71) END AS role,
           t.n * 32 + k AS key
    FROM (
        SELECT n, pg_temp.task_created(n, pg_temp.n_users()) AS created_at,
               sum(pg_temp.message_count(n)) OVER (ORDER BY n) - pg_temp.message_count(n) AS offs
        FROM generate_series(1, pg_temp.n_tasks()) AS n
    ) AS t
    CROSS JOIN LATERAL generate_series(1, pg_temp.message_count(t.n)) AS k
    OFFSET 0
) AS s
CROSS JOIN LATERAL (SELECT s.id, s.n, s.at, s.role, CASE s.role
       WHEN 'user' THEN pg_temp.word(ARRAY['Please also update the README.', 'Can you add a test for the edge case?',
           'Looks good, go ahead and open the PR.', 'Use the existing helper instead of a new one.',
           'Why did the build fail?', 'Keep the change small, please.'], s.key, 72)
       WHEN 'agent' THEN pg_temp.word(ARRAY['I will start by reading the repository structure.',
           'I found the cause: the session cookie is read before it is set. Fixing it now.',
           'All tests pass locally. Committing the change.',
           'The function is called from three places; I will update each of them.',
           'I added a regression test that fails without the fix.',
           'I am opening a pull request with a summary of the changes.'], s.key, 73)
       WHEN 'tool' THEN pg_temp.word(ARRAY['$ npm test' || chr(10) || '  142 passing (3s)',
           '$ git status' || chr(10) || 'modified: src/auth/session.ts',
           '$ pytest -q' || chr(10) || '87 passed in 4.12s',
           '$ rg "TODO" src | wc -l' || chr(10) || '14',
           '$ git push origin HEAD' || chr(10) || 'branch pushed'], s.key, 74)
       ELSE 'Context window at ' || (40 + pg_temp.pick(s.key, 75, 50))::text || ' percent; summarising earlier steps.'
       END AS content) AS m;

-- step: connectors
INSERT INTO agent.connectors (id, user_id, name, kind, base_url, command, env_encrypted, webhook_secret, status,
                              created_at, updated_at)
SELECT md5('agent-connector-' || c.n::text)::uuid, g.user_id, c.name, c.kind,
       CASE c.kind WHEN 'mcp_stdio' THEN NULL
                   WHEN 'webhook' THEN 'https://hooks.example.com/' || left(md5(c.n::text), 10)
                   ELSE 'https://mcp.example.com/' || lower(replace(c.name, ' ', '-')) END,
       CASE WHEN c.kind = 'mcp_stdio' THEN 'npx -y @example/' || lower(replace(c.name, ' ', '-')) || '-mcp' END,
       CASE WHEN c.kind <> 'webhook' THEN pg_temp.sealed('env-' || c.n::text) END,
       CASE WHEN c.kind = 'webhook' THEN 'whsec_' || md5('agent-webhook-' || c.n::text) END,
       pg_temp.weighted(ARRAY['connected', 'disconnected', 'error'], ARRAY[0.85, 0.96], c.n, 81),
       g.created_at + interval '2 days', g.created_at + interval '2 days'
FROM gen_user AS g
CROSS JOIN LATERAL (VALUES (1, 'Linear', 'mcp_http'), (2, 'Sentry', 'mcp_http'), (3, 'Postgres', 'mcp_stdio'),
                           (4, 'Slack notify', 'webhook'), (5, 'Filesystem', 'mcp_stdio'),
                           (6, 'Deploy hook', 'webhook')) AS x(i, name, kind)
CROSS JOIN LATERAL (SELECT g.k * 8 + x.i AS n, x.name, x.kind) AS c
WHERE pg_temp.u(g.k, 82) < 0.4 AND pg_temp.u(c.n, 83) < 0.35;

-- step: settings
INSERT INTO agent.settings (user_id, key, value, created_at, updated_at)
SELECT g.user_id, s.key,
       CASE s.key
           WHEN 'theme' THEN to_jsonb(pg_temp.word(ARRAY['dark', 'light', 'system'], g.k, 91))
           WHEN 'default_agent' THEN to_jsonb(pg_temp.word(ARRAY['claude', 'codex', 'gemini'], g.k, 92))
           WHEN 'auto_open_pr' THEN to_jsonb(pg_temp.u(g.k, 93) < 0.6)
           WHEN 'sandbox_timeout_minutes' THEN to_jsonb((ARRAY[15, 30, 60])[1 + pg_temp.pick(g.k, 94, 3)::integer])
           WHEN 'notifications' THEN jsonb_build_object('email', pg_temp.u(g.k, 95) < 0.5, 'slack', pg_temp.u(g.k, 96) < 0.2)
           ELSE to_jsonb('en'::text) END,
       g.created_at, g.created_at
FROM gen_user AS g
CROSS JOIN LATERAL (VALUES (1, 'theme', 0.9), (2, 'default_agent', 0.7), (3, 'auto_open_pr', 0.5),
                           (4, 'sandbox_timeout_minutes', 0.3), (5, 'notifications', 0.6), (6, 'language', 0.2))
    AS s(i, key, share)
WHERE pg_temp.u(g.k * 8 + s.i, 97) < s.share;
