package mail_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/config"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/mail"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSender_Render(t *testing.T) {
	s := mail.NewSender(catalog(t))
	for _, tc := range []struct {
		locale, subject, body string
	}{
		{"nl", "Nieuw wachtwoord voor Inwonercloud", "Hallo Anna,"},
		{"en", "New password for Inwonercloud", "Hello Anna,"},
	} {
		m := s.Render(identity.Mail{To: "a@example.nl", Locale: tc.locale, Template: "password_reset",
			Data: map[string]string{"Name": "Anna", "Link": "https://x.example/wachtwoord-herstellen?token=abc"}})
		if m.Subject != tc.subject {
			t.Errorf("%s subject = %q, want %q", tc.locale, m.Subject, tc.subject)
		}
		if !strings.HasPrefix(m.Body, tc.body) || !strings.Contains(m.Body, "https://x.example/wachtwoord-herstellen?token=abc") {
			t.Errorf("%s body = %q", tc.locale, m.Body)
		}
	}
}

func TestSender_NoTransport(t *testing.T) {
	err := mail.NewSender(catalog(t)).Send(context.Background(), identity.Mail{To: "a@example.nl", Locale: "nl", Template: "invite"})
	if err == nil || !strings.Contains(err.Error(), "INWONERCLOUD_SMTP_HOST") {
		t.Fatalf("Send without transport = %v, want an error naming INWONERCLOUD_SMTP_HOST", err)
	}
}

func TestOutbox(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
		s := mail.NewSender(catalog(t), mail.Outbox{DB: db, Clock: clk})
		if err := s.Send(ctx, identity.Mail{To: "a@example.nl", Locale: "nl", Template: "invite", Data: map[string]string{"Name": "A", "Link": "L1"}}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if err := s.Send(ctx, identity.Mail{To: "b@example.nl", Locale: "en", Template: "invite", Data: map[string]string{"Name": "B", "Link": "L2"}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindOutboxMails(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].To != "b@example.nl" || got[1].To != "a@example.nl" {
			t.Fatalf("outbox = %+v, want b then a (newest first)", got)
		}
		if got[0].Subject != "You are invited to Inwonercloud" || !strings.Contains(got[1].Body, "L1") {
			t.Errorf("outbox content wrong: %+v", got)
		}
	})
}

// fakeSMTP is a minimal SMTP server on loopback that records one message:
// the outside seam of mail delivery.
type fakeSMTP struct {
	ln   net.Listener
	mu   sync.Mutex
	from string
	to   []string
	data string
	auth bool
}

func startSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go f.serve()
	return f
}

func (f *fakeSMTP) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.handle(c)
	}
}

func (f *fakeSMTP) handle(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(s string) { io.WriteString(c, s+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			io.WriteString(c, "250-fake\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
		case strings.HasPrefix(cmd, "AUTH PLAIN"):
			f.mu.Lock()
			f.auth = true
			f.mu.Unlock()
			say("235 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			f.mu.Lock()
			f.from = strings.TrimSpace(line[len("MAIL FROM:"):])
			f.mu.Unlock()
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			f.mu.Lock()
			f.to = append(f.to, strings.TrimSpace(line[len("RCPT TO:"):]))
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.data = b.String()
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestSMTP_Deliver(t *testing.T) {
	srv := startSMTP(t)
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	p, _ := strconv.Atoi(port)
	cfg := config.SMTP{Host: "127.0.0.1", Port: p, From: "Inwonercloud <noreply@example.nl>", TLS: "none"}
	s := mail.NewSender(catalog(t), mail.NewSMTP(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
	err := s.Send(context.Background(), identity.Mail{To: "anna@example.nl", Locale: "nl", Template: "verify_email",
		Data: map[string]string{"Name": "Anna", "Link": "https://x.example/e-mail-bevestigen?token=t0k"}})
	if err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !strings.Contains(srv.from, "noreply@example.nl") || len(srv.to) != 1 || !strings.Contains(srv.to[0], "anna@example.nl") {
		t.Errorf("envelope from=%q to=%q", srv.from, srv.to)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(srv.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Bevestig je e-mailadres voor Inwonercloud" || !strings.Contains(string(body), "?token=t0k") {
		t.Errorf("message does not hold the rendered mail: subject %q\n%s", subject, body)
	}
}

func TestSMTP_Refused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close() // nothing listens there now
	p, _ := strconv.Atoi(port)
	s := mail.NewSender(catalog(t), mail.NewSMTP(config.SMTP{Host: "127.0.0.1", Port: p, From: "x@example.nl", TLS: "none"}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err := s.Send(context.Background(), identity.Mail{To: "a@example.nl", Locale: "nl", Template: "invite"}); err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
}
