-- Organization profile (issue 4 §9, docs/organization-profile.md): changes a member asks for
-- and a coordinator of the organization's territory (or an operator) approves or rejects.
-- Timestamps are Unix seconds (BIGINT).
--
-- kind: notification_email | key_rotation.
-- new_value: the requested notification address (notification_email); '' for key_rotation.
-- status: pending | approved | rejected | superseded (a newer request of the same kind replaced it).
-- applied_at: when the approved change took effect; NULL while pending, rejected, superseded,
--   and for an approved key rotation until src/accounts re-keys the organization.
-- requested_by, decided_by: account ids (no foreign key: accounts are disabled, never deleted,
--   and the audit log names them the same way).
CREATE TABLE organization_change_request (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  new_value TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  decided_by TEXT,
  decided_at BIGINT,
  applied_at BIGINT
);

CREATE INDEX organization_change_request_status ON organization_change_request (status, organization_id);
CREATE INDEX organization_change_request_organization ON organization_change_request (organization_id, kind);
