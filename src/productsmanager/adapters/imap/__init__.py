"""A supplier's mailbox over IMAP (imaplib), its messages' attachments as import items."""
