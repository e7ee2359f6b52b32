-- Reminders of questionnaires due (issue 17): a notice that is about one thing — an
-- assignment's open round — is queued once per account and channel, however many
-- times and on however many instances the reminder job runs.
ALTER TABLE notification_outbox ADD COLUMN about TEXT;
CREATE UNIQUE INDEX notification_outbox_once ON notification_outbox (account_id, channel, about)
    WHERE about IS NOT NULL;
