-- +goose Up
-- Eigen budget (issue 6): personal budgets, the consultants' decisions,
-- care agreements, claims and the double-entry ledger. Times are UTC
-- milliseconds, money is integer cents. resident_id has no foreign key:
-- like the access log, the ledger names the resident by an opaque id, and
-- financial records outlive an erased account.
CREATE TABLE budgets (
    id              TEXT PRIMARY KEY,
    resident_id     TEXT NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    consultant_id   TEXT NOT NULL,
    period_start    BIGINT NOT NULL,
    period_end      BIGINT NOT NULL,
    status          TEXT NOT NULL,
    category_ids    TEXT NOT NULL DEFAULT '',
    offering_ids    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX budgets_resident ON budgets (resident_id, created_at);
CREATE INDEX budgets_municipality ON budgets (municipality_id, created_at);

-- Decisions are never changed: a change or withdrawal is a new row.
CREATE TABLE budget_decisions (
    id           TEXT PRIMARY KEY,
    budget_id    TEXT NOT NULL REFERENCES budgets(id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    delta_cents  BIGINT NOT NULL,
    period_start BIGINT NOT NULL,
    period_end   BIGINT NOT NULL,
    category_ids TEXT NOT NULL DEFAULT '',
    offering_ids TEXT NOT NULL DEFAULT '',
    legal_basis  TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   BIGINT NOT NULL,
    supersedes   TEXT NOT NULL DEFAULT '',
    tx_id        TEXT NOT NULL DEFAULT '',
    UNIQUE (budget_id, seq)
);

CREATE TABLE budget_agreements (
    id               TEXT PRIMARY KEY,
    budget_id        TEXT REFERENCES budgets(id),
    request_id       TEXT NOT NULL REFERENCES requests(id),
    offering_id      TEXT NOT NULL REFERENCES market_offerings(id),
    provider_org_id  TEXT NOT NULL REFERENCES organisations(id),
    resident_id      TEXT NOT NULL,
    what             TEXT NOT NULL,
    frequency        TEXT NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    units_per_month  INTEGER NOT NULL,
    from_month       BIGINT NOT NULL,
    until_month      BIGINT NOT NULL,
    total_cents      BIGINT NOT NULL,
    status           TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    proposed_by      TEXT NOT NULL,
    accepted_by      TEXT NOT NULL DEFAULT '',
    accepted_at      BIGINT,
    decided_by       TEXT NOT NULL DEFAULT '',
    decided_at       BIGINT,
    ended_at         BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL
);
CREATE INDEX budget_agreements_resident ON budget_agreements (resident_id, created_at);
CREATE INDEX budget_agreements_provider ON budget_agreements (provider_org_id, created_at);
CREATE INDEX budget_agreements_budget ON budget_agreements (budget_id);
CREATE INDEX budget_agreements_status ON budget_agreements (status);

-- One claim per agreement per month.
CREATE TABLE budget_claims (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES budget_agreements(id),
    budget_id       TEXT NOT NULL REFERENCES budgets(id),
    provider_org_id TEXT NOT NULL REFERENCES organisations(id),
    resident_id     TEXT NOT NULL,
    period          TEXT NOT NULL,
    description     TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL,
    status          TEXT NOT NULL,
    dispute_reason  TEXT NOT NULL DEFAULT '',
    submitted_by    TEXT NOT NULL,
    submitted_at    BIGINT NOT NULL,
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      BIGINT,
    tx_id           TEXT NOT NULL DEFAULT '',
    reversal_tx_id  TEXT NOT NULL DEFAULT '',
    reversal_reason TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL,
    UNIQUE (agreement_id, period)
);
CREATE INDEX budget_claims_budget ON budget_claims (budget_id, submitted_at);
CREATE INDEX budget_claims_provider ON budget_claims (provider_org_id, submitted_at);

-- The ledger: immutable entries; the entries of one tx_id sum to zero.
CREATE TABLE budget_entries (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    tx_id        TEXT NOT NULL,
    account      TEXT NOT NULL,
    budget_id    TEXT NOT NULL REFERENCES budgets(id),
    agreement_id TEXT NOT NULL DEFAULT '',
    claim_id     TEXT NOT NULL DEFAULT '',
    amount_cents BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    reversal_of  TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX budget_entries_tx ON budget_entries (tx_id);
CREATE INDEX budget_entries_budget ON budget_entries (budget_id, seq);
CREATE UNIQUE INDEX budget_entries_reversal ON budget_entries (reversal_of, account) WHERE reversal_of <> '';

-- Append-only, also for TRUNCATE.
-- +goose StatementBegin
CREATE FUNCTION budget_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'budget_entries is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER budget_entries_append_only BEFORE UPDATE OR DELETE ON budget_entries
    FOR EACH ROW EXECUTE FUNCTION budget_entries_append_only();
CREATE TRIGGER budget_entries_no_truncate BEFORE TRUNCATE ON budget_entries
    FOR EACH STATEMENT EXECUTE FUNCTION budget_entries_append_only();

-- The running balance of each account, kept in the same transaction as
-- its entries; Reconcile recomputes it from the entries. Only a funding
-- account (minus what was granted) may go below zero: the service checks
-- before it writes, and this is the database's last word.
CREATE TABLE budget_accounts (
    account       TEXT PRIMARY KEY,
    budget_id     TEXT NOT NULL DEFAULT '',
    balance_cents BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK (balance_cents >= 0 OR account LIKE '%:funding')
);
CREATE INDEX budget_accounts_budget ON budget_accounts (budget_id);

-- The database keeps the running balances itself: every entry, as it is
-- written, adds its amount to its account's row (made on first use), in
-- the same statement — no code path can forget it, and the CHECK above
-- refuses an entry that would take an account below zero.
-- +goose StatementBegin
CREATE FUNCTION budget_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO budget_accounts (account, budget_id, balance_cents, updated_at)
        VALUES (NEW.account, NEW.budget_id, 0, NEW.created_at) ON CONFLICT (account) DO NOTHING;
    UPDATE budget_accounts SET balance_cents = balance_cents + NEW.amount_cents, updated_at = NEW.created_at
        WHERE account = NEW.account;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER budget_entries_balance AFTER INSERT ON budget_entries
    FOR EACH ROW EXECUTE FUNCTION budget_entries_balance();

-- Idempotency keys of money-moving calls: (actor, key) → the request's
-- hash and the result.
CREATE TABLE budget_idempotency (
    actor_id     TEXT NOT NULL,
    key          TEXT NOT NULL,
    operation    TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (actor_id, key)
);

-- A municipality's rules for budgets.
CREATE TABLE budget_settings (
    municipality_id      TEXT PRIMARY KEY REFERENCES municipalities(id),
    approval_required    BOOLEAN NOT NULL,
    approval_above_cents BIGINT NOT NULL,
    updated_by           TEXT NOT NULL,
    updated_at           BIGINT NOT NULL
);

-- +goose Down
DROP TABLE budget_settings;
DROP TABLE budget_idempotency;
DROP TABLE budget_accounts;
DROP FUNCTION budget_entries_balance();
DROP TABLE budget_entries;
DROP FUNCTION budget_entries_append_only();
DROP TABLE budget_claims;
DROP TABLE budget_agreements;
DROP TABLE budget_decisions;
DROP TABLE budgets;
