"""Email notifications (issue 11) end to end: a real SMTP server (aiosmtpd,
writing each message to a Maildir folder) on a loopback port, `baocao serve`
configured to use it, an administrator giving the commune's leader an email
address on the users page (and `baocao users create --email` a second leader),
the commune's reporter filling a report and asking for approval; then the
delivered messages are read back as a mail client reads them: recipients,
the decoded Vietnamese subject, and a body naming the form, period, unit,
deadline and the report's link. Exits 1 when any check fails."""
import argparse
import email
import email.header
import email.policy
import mailbox
import os
import re
import sys
import time

import requests
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox import Browser, check, results  # noqa: E402
from harness import Server, Store, free_port  # noqa: E402

FORM = {"v[1]": "1", "v[2]": "2", "v[3]": "100", "v[4]": "2", "v[5.1.3]": "100", "v[5.2]": "100", "v[5.2.3]": "100",
        "v[5.3.3]": "100", "v[6.1.1]": "28", "v[6.1.2]": "28", "v[6.2.1]": "20", "v[6.2.2]": "18", "v[6.3.1]": "1.200",
        "v[6.3.2]": "1.100", "v[6.4.1]": "300", "v[6.4.2]": "250", "v[6.5.1]": "91", "v[6.5.2]": "91"}
LEADER_EMAIL = "xa.lanhdao@bacgiang.gov.vn"
SECOND_EMAIL = "pho.chutich@bacgiang.gov.vn"


def decoded_subject(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"] or "")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    store = Store("email", os.environ.get("DATABASE_URL") or None)
    maildir = os.path.join(store.data_dir, "maildir")
    smtp_port = free_port()
    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    server = Server(args.bin, store, BAOCAO_DEMO="1", BAOCAO_DEMO_FIXTURE="1")
    server.extra_env.update(BAOCAO_SMTP_HOST="127.0.0.1", BAOCAO_SMTP_PORT=str(smtp_port),
                            BAOCAO_SMTP_FROM="baocao@bacgiang.gov.vn", BAOCAO_PUBLIC_URL=server.base,
                            BAOCAO_SMTP_TIMEOUT_SECONDS="10")
    try:
        server.cli("migrate")
        server.cli("demo")
        unit = store.query("SELECT unit_code FROM users WHERE username = 'xa.nhaplieu'")[0][0]
        refused = server.cli("users", "create", "--username", "xa.phochutich", "--name", "Phó Chủ tịch xã", "--role", "leader",
                             "--unit", unit, "--password", "mat-khau-9", "--email", "khong la thu", check=False)
        check("cli", "users create refuses a bad --email in Vietnamese", refused.returncode != 0
              and "không phải là địa chỉ thư điện tử hợp lệ" in refused.stderr, refused.stderr[-300:])
        server.cli("users", "create", "--username", "xa.phochutich", "--name", "Phó Chủ tịch xã", "--role", "leader",
                   "--unit", unit, "--password", "mat-khau-9", "--email", SECOND_EMAIL)
        server.start()
        print(f"email: {store.kind}, server at {server.base}, aiosmtpd at 127.0.0.1:{smtp_port}")

        admin = Browser(server.base, "admin")
        leader_id = str(store.query("SELECT id FROM users WHERE username = 'xa.lanhdao'")[0][0])
        bad = admin.post(f"/admin/users/{leader_id}/email", {"email": "xa.lanhdao@@tinh"})
        check("admin", "a bad address is refused on the users page", bad.status_code == 422
              and "không phải là địa chỉ thư điện tử hợp lệ" in bad.text, str(bad.status_code))
        saved = admin.post(f"/admin/users/{leader_id}/email", {"email": LEADER_EMAIL})
        check("admin", "the administrator sets the leader's address", saved.status_code == 303, str(saved.status_code))
        check("admin", "the users page shows it", LEADER_EMAIL in admin.get("/admin/users").text)

        rows = store.query("SELECT r.id, r.version, r.status, r.period_key FROM reports r WHERE r.unit_code = ? "
                           "AND r.form_id = 'egov-2024' AND r.status IN ('not_started', 'draft', 'returned') "
                           "ORDER BY r.period_key", (unit,))
        rows.sort(key=lambda r: (r[3] != "2024-Q1", r[3]))
        report_id, version = str(rows[0][0]).upper(), rows[0][1]
        reporter = Browser(server.base, "xa.nhaplieu")
        reporter.get(f"/reports/{report_id}")
        reporter.refresh_csrf()
        filled = reporter.post(f"/reports/{report_id}", {"version": str(version), **FORM})
        check("workflow", "the reporter saves a complete report", filled.status_code == 303, str(filled.status_code))
        asked = reporter.post(f"/reports/{report_id}/action", {"action": "ask_approval"})
        check("workflow", "the reporter asks for approval", asked.status_code == 303, f"{asked.status_code} {asked.text[:300]}")

        deadline = time.time() + 60
        messages = []
        while time.time() < deadline:
            box = mailbox.Maildir(maildir, factory=None, create=True)
            messages = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in box]
            if len(messages) >= 2:
                break
            time.sleep(0.5)
        time.sleep(1)  # anything else that would arrive (there should be nothing more)
        box = mailbox.Maildir(maildir, factory=None, create=True)
        messages = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in box]
        recipients = sorted(m["X-RcptTo"] or "" for m in messages)
        check("mail", "both leaders, and only they, got one message each", recipients == sorted([LEADER_EMAIL, SECOND_EMAIL]),
              str(recipients))
        unit_name = None
        for message in messages:
            subject = decoded_subject(message)
            body = message.get_body(preferencelist=("plain",)).get_content()
            to = message["X-RcptTo"]
            check("mail", f"{to}: the subject is Vietnamese and names the step and period",
                  subject.startswith("[BaoCao] Báo cáo chờ duyệt: ") and "Quý I năm 2024" in subject, subject)
            check("mail", f"{to}: headers From, To, Date, Message-ID, UTF-8 plain text",
                  "baocao@bacgiang.gov.vn" in (message["From"] or "") and to in (message["To"] or "") and message["Date"]
                  and message["Message-ID"] and message.get_content_type() == "text/plain"
                  and message.get_content_charset() == "utf-8", str(dict(message.items()))[:400])
            check("mail", f"{to}: the body names the link to the report", f"{server.base}/reports/{report_id}" in body, body)
            check("mail", f"{to}: the body names the deadline as dd/mm/yyyy",
                  re.search(r"Hạn gửi báo cáo: \d{2}/\d{2}/\d{4}\.", body) is not None, body)
            check("mail", f"{to}: the body says who asked", "đang chờ lãnh đạo đơn vị duyệt" in body and "Người đề nghị duyệt" in body, body)
            match = re.search(r" – ([^–]+)$", subject)
            unit_name = match.group(1).strip() if match else None
            check("mail", f"{to}: subject and body name the unit", unit_name is not None and unit_name in body, subject)
        sent = store.query("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NOT NULL")[0][0]
        check("outbox", "the outbox marks both rows sent", sent == 2, str(sent))
    except Exception as error:
        check("setup", "ran to the end", False, f"{type(error).__name__}: {error}")
    finally:
        server.stop()
        controller.stop()
        failed = [r for r in results if not r[2]]
        print(f"email: {len(results) - len(failed)} of {len(results)} checks passed")
        if failed:
            print("email: FAILED", file=sys.stderr)
            for group, name, _, detail in failed:
                print(f"  [{group}] {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
            print("last lines of the server log:\n" + server.log_tail(40), file=sys.stderr)
        store.close()
    return 1 if any(not r[2] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
