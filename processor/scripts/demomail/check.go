package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"utlamnande/processor/internal/mailfile"
)

// tolerance is the processor's (mailcase.Tolerance): how far an e-mail's Date may be from
// its log row's time.
const tolerance = 10 * time.Minute

// selfCheck reads data back with the processor's reader and compares it with what m was
// to be: format, subject, sender, recipients, date and its zone, body, attachments, and
// no Notes (a demo file should need no decision by the reader).
func selfCheck(m *demoMail, data []byte) error {
	got, err := mailfile.Read(m.fileName(), data)
	if err != nil {
		return err
	}
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if got.Format != m.format {
		bad("formatet är %q, inte %q", got.Format, m.format)
	}
	if got.Subject != m.row.Subject {
		bad("ämnet är %q, inte %q", got.Subject, m.row.Subject)
	}
	if len(got.From) != 1 || got.From[0] != m.from() {
		bad("avsändaren är %v, inte %v", got.From, m.from())
	}
	to := m.to()
	if len(got.To) != len(to) {
		bad("mottagarna är %v, inte %v", got.To, to)
	} else {
		for i := range to {
			if got.To[i] != to[i] {
				bad("mottagare %d är %v, inte %v", i+1, got.To[i], to[i])
			}
		}
	}
	if len(got.Cc)+len(got.Bcc) > 0 {
		bad("oväntade kopiemottagare %v %v", got.Cc, got.Bcc)
	}
	if !got.Date.Equal(m.sent) {
		bad("tiden är %s, inte %s", got.Date, m.sent)
	}
	_, gotOff := got.Date.Zone()
	_, wantOff := m.sent.Zone()
	if gotOff != wantOff {
		bad("tidszonen är %+d s, inte %+d s", gotOff, wantOff)
	}
	if d := m.received.Sub(got.Date); d < 0 || d > 3*time.Minute || d > tolerance {
		bad("tiden %s är inte 0–3 minuter före loggens %s", got.Date, m.received.UTC())
	}
	if got.MessageID != m.messageID() {
		bad("Message-ID är %q, inte %q", got.MessageID, m.messageID())
	}
	wantType := "text/plain"
	if m.html {
		wantType = "text/html"
	}
	if got.BodyType != wantType {
		bad("brödtexten är %q, inte %q", got.BodyType, wantType)
	}
	for _, w := range m.want {
		if !strings.Contains(got.Body, w) {
			bad("brödtexten saknar %q: %q", w, got.Body)
		}
	}
	if len(got.Other) > 0 {
		bad("oväntad annan text %v", got.Other)
	}
	if len(got.Attachments) != len(m.attach) {
		bad("%d bilagor, inte %d", len(got.Attachments), len(m.attach))
	} else {
		for i, a := range m.attach {
			sum := sha256.Sum256(a.data)
			want := mailfile.Attachment{Name: a.name, ContentType: a.mimeType, Size: int64(len(a.data)), SHA256: hex.EncodeToString(sum[:])}
			if got.Attachments[i] != want {
				bad("bilaga %d är %+v, inte %+v", i+1, got.Attachments[i], want)
			}
		}
	}
	if len(got.Notes) > 0 {
		bad("läsaren gjorde anteckningar: %s", strings.Join(got.Notes, " | "))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
