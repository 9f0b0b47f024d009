-- The territory's delay before "the other ways" are offered to her while nobody answers a live
-- conversation (issue 12 §3, docs/conversation.md): whole minutes, 1 to 30, set by the
-- territory's coordinators on its settings page; 5 by default.
ALTER TABLE territory ADD COLUMN conversation_offer_minutes INTEGER NOT NULL DEFAULT 5;
