-- The audit log is evidence: refuse any UPDATE or DELETE of its rows. The one change allowed is the
-- foreign key's own ON DELETE SET NULL of actor_id when an account is deleted (actor_login keeps who it was).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
     AND (NEW.id, NEW.actor_login, NEW.action, NEW.target_type, NEW.target_id, NEW.before, NEW.after, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.actor_login, OLD.action, OLD.target_type, OLD.target_id, OLD.before, OLD.after, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
