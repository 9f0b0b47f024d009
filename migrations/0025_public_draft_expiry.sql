-- Her sealed drafts (ADR 0011) are swept at every save ("DELETE … WHERE expires_at < now"):
-- an index keeps that sweep from reading the whole table on the help path (issue 14).
CREATE INDEX public_draft_expires ON public_draft (expires_at);
