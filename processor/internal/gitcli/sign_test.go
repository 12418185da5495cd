package gitcli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Public keys made with ssh-keygen for these tests, and the fingerprints ssh-keygen -l shows.
const (
	testEd25519   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCZhnlnwV48gzsZIMKqaDb3ZOyXUTRwE+A6u59w60AW test@exempel"
	testEd25519FP = "SHA256:zfGJeHpylHygHM48UcTNzy041XVOq741hDbxRBx1os4"
	testECDSA256  = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA0hc5oA891xn+Nk9vS9cPE8YunXV0PVIM0osp+qhWEK8VsZXFBFx+PEm0vap7lo0BEaLIh+yPXJX9bt5OF1m1U= test@exempel"
	testECDSA256F = "SHA256:JA6UXfo/w/kTCFo0h5wpECgXTPXAtb0p/hLXctRGp1M"
	testECDSA384  = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBFGCDXk3BGCbLvfGnoYF8DL+59wAvL0IO1bXmE5eWpHqdP0U7sy8jhK5iajCqu3bo4Egjv6M7it6Gr1PvUqDRDCyVLpkaewkQ9fRhmalnOPst4lbsosd3g0veeVYSgfGIA=="
	testECDSA384F = "SHA256:syuXinNpvzFMRMvAvEgoThxhfqnE2IcWOABRjuv0rHk"
	testRSA       = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCTdAwfNhywjN0mmrkq7mNR3ICatjKJpLRmTC/id7TFfYOxWW13khJN54GYxTQG0LyHacHl58ylmbUktQM+/SKje9CbKdve4M0VPF+J5ZAkqgs/nRYOAUkPfa+h7dKDoCs10N/HjPBQ1PQ5U9MqiFLkywDmdT2oiXBBumq6Ha2k9fZzcKzSIqoKsXdsUw6IQR3q4mgBb7Jgt44BujyYP0ZtaONMPOX7DHJoc+P0AgO9456qo8nslKNta8UNcLsh7grsttpFwwzXes6iE4soigCxlRbgb9ni/ihCw2+j7zR3KcPcHyuDWdY71GEswf02qgKahO3CvXFGPYZ1KDPEUR15 en kommentar med mellanslag"
	testRSAFP     = "SHA256:+AfkDrVQ1GEGeU2YmeFc+v4BIeam6thtEdbZHUqFloY"
)

func TestParseSSHKey(t *testing.T) {
	ed := strings.Fields(testEd25519)
	for _, c := range []struct {
		line, fp, err string // err: a part of the error, "" when the key is valid
	}{
		{testEd25519, testEd25519FP, ""},
		{"  " + ed[0] + "  " + ed[1] + "  ", testEd25519FP, ""}, // no comment, spaces around
		{testECDSA256, testECDSA256F, ""},
		{testECDSA384, testECDSA384F, ""},
		{testRSA, testRSAFP, ""},
		{"", "", "en rad med nyckeltyp"},
		{"ssh-ed25519", "", "en rad med nyckeltyp"},
		{"~/.ssh/id_ed25519.pub", "", "sökväg"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----", "", "privat nyckel"},
		{"ssh-dss AAAAB3NzaC1kc3MAAACBAP", "", "okänd nyckeltyp"},
		{"ed25519 " + ed[1], "", "okänd nyckeltyp"},
		{ed[0] + " " + ed[1][:len(ed[1])-4], "", "går inte att läsa"}, // cut short
		{ed[0] + " " + ed[1] + "AAAA", "", "går inte att läsa"},       // bytes added
		{ed[0] + " " + "inte!base64", "", "base64"},
		{"ssh-rsa " + ed[1], "", `typen "ssh-ed25519"`},
		{"ecdsa-sha2-nistp256 " + strings.Fields(testECDSA384)[1], "", "typen"},
	} {
		k, err := ParseSSHKey(c.line)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("ParseSSHKey(%q): %v", c.line, err)
		case c.err == "" && k.Fingerprint() != c.fp:
			t.Errorf("ParseSSHKey(%q).Fingerprint() = %s, want %s", c.line, k.Fingerprint(), c.fp)
		case c.err == "" && k.String() != strings.Join(strings.Fields(c.line)[:2], " "):
			t.Errorf("ParseSSHKey(%q).String() = %q", c.line, k.String())
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseSSHKey(%q) error %v, want one containing %q", c.line, err, c.err)
		}
	}
}

func TestParseSigningConfig(t *testing.T) {
	for _, c := range []struct {
		out  string
		want SigningConfig
		bad  bool
	}{
		{"", SigningConfig{}, false},
		{"commit.gpgsign\x00gpg.format\nssh\x00user.signingkey\n~/.ssh/id.pub\x00", SigningConfig{Sign: true, Format: "ssh", SigningKey: "~/.ssh/id.pub"}, false},
		{"commit.gpgsign\ntrue\x00commit.gpgsign\nfalse\x00", SigningConfig{}, false}, // the last wins
		{"commit.gpgsign\nYes\x00gpg.format\nopenpgp\x00", SigningConfig{Sign: true, Format: "openpgp"}, false},
		{"commit.gpgsign\nkanske\x00", SigningConfig{}, true},
	} {
		got, err := parseSigningConfig([]byte(c.out))
		if (err != nil) != c.bad || !c.bad && got != c.want {
			t.Errorf("parseSigningConfig(%q) = %+v, %v; want %+v (error %v)", c.out, got, err, c.want, c.bad)
		}
	}
}

func TestSigningConfigPublicKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	write := func(name, s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("id.pub", testEd25519+"\n")
	write("id", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n")
	write("id.pub.pub", testRSA+"\n") // so that "id.pub" read as private would be caught
	write("ensam", "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n")
	write("trasig.pub", "ssh-ed25519 AAAA\n")
	for _, c := range []struct {
		key, fp, err string
	}{
		{"key::" + testEd25519, testEd25519FP, ""},
		{testRSA, testRSAFP, ""},
		{filepath.Join(dir, "id.pub"), testEd25519FP, ""},
		{"~/id.pub", testEd25519FP, ""},
		{"id.pub", testEd25519FP, ""}, // relative to the work tree
		{filepath.Join(dir, "id"), testEd25519FP, ""},
		{filepath.Join(dir, "ensam"), "", "privat nyckel"},
		{filepath.Join(dir, "trasig.pub"), "", "går inte att läsa"},
		{filepath.Join(dir, "finns-inte.pub"), "", "kan inte läsas"},
		{"", "", "inte satt"},
		{"key::inte en nyckel", "", "okänd nyckeltyp"},
	} {
		k, err := SigningConfig{SigningKey: c.key}.PublicKey(dir)
		switch {
		case c.err == "" && (err != nil || k.Fingerprint() != c.fp):
			t.Errorf("PublicKey(%q) = %s, %v; want %s", c.key, k.Fingerprint(), err, c.fp)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("PublicKey(%q) error %v, want one containing %q", c.key, err, c.err)
		}
	}
}

// needSSHKeygen skips a test when ssh-keygen is missing, unless CI requires the tools.
func needSSHKeygen(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		if os.Getenv("REQUIRE_PDF_TOOLS") == "1" {
			t.Fatal("ssh-keygen is missing and REQUIRE_PDF_TOOLS=1 (install openssh-client)")
		}
		t.Skip("ssh-keygen is not installed")
	}
}

// Real commits signed by real keys, read back by SSHSignature; and the signing
// configuration as git config reports it.
func TestSSHSignatureAgainstRealGit(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "nycklar")
	work := filepath.Join(dir, "arkiv")
	for _, d := range []string{keys, work} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	global := filepath.Join(dir, "gitconfig")
	if err := os.WriteFile(global, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"GIT_CONFIG_GLOBAL": global, "GIT_CONFIG_NOSYSTEM": "1", "HOME": dir,
		"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.se", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.se"} {
		t.Setenv(k, v)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	pub := map[string]SSHKey{}
	for _, n := range []string{"a", "b"} {
		run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", n, "-f", filepath.Join(keys, n))
		data, err := os.ReadFile(filepath.Join(keys, n+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		if pub[n], err = ParseSSHKey(string(data)); err != nil {
			t.Fatal(err)
		}
		if fp := run("ssh-keygen", "-l", "-f", filepath.Join(keys, n+".pub")); !strings.Contains(fp, pub[n].Fingerprint()) {
			t.Errorf("ssh-keygen -l says %q, Fingerprint %s", fp, pub[n].Fingerprint())
		}
	}
	allowed := filepath.Join(dir, "allowed")
	if err := os.WriteFile(allowed, []byte("a@example.se namespaces=\"git\" "+pub["a"].String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run("git", "init", "-q", "-b", "main", ".")
	commit := func(msg string, sign ...string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(work, "f.txt"), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		run("git", "add", "f.txt")
		run("git", append(sign, "commit", "-q", "-m", msg)...)
		return strings.TrimSpace(run("git", "rev-parse", "HEAD"))
	}
	g := Git{Dir: work}
	for _, c := range []struct {
		name   string
		sign   []string
		status byte
		key    string
	}{
		{"a", []string{"-c", "gpg.format=ssh", "-c", "user.signingkey=" + filepath.Join(keys, "a.pub"), "-c", "commit.gpgsign=true"}, 'G', pub["a"].Fingerprint()},
		{"b", []string{"-c", "gpg.format=ssh", "-c", "user.signingkey=" + filepath.Join(keys, "b"), "-c", "commit.gpgsign=true"}, 'U', pub["b"].Fingerprint()},
		{"osignerad", nil, 'N', ""},
	} {
		h := commit(c.name, c.sign...)
		sig, err := g.SSHSignature(h, allowed)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if sig.Status != c.status || sig.Key != c.key {
			t.Errorf("%s: SSHSignature = %c %q %q, want %c %q", c.name, sig.Status, sig.Key, sig.Signer, c.status, c.key)
		}
		if c.status == 'G' && sig.Signer != "a@example.se" {
			t.Errorf("%s: signer %q", c.name, sig.Signer)
		}
	}

	cfg, err := g.SigningConfig()
	if err != nil || cfg != (SigningConfig{}) {
		t.Errorf("SigningConfig with nothing set = %+v, %v", cfg, err)
	}
	run("git", "config", "gpg.format", "ssh")
	run("git", "config", "user.signingkey", "~/nycklar/a.pub")
	run("git", "config", "--global", "commit.gpgsign", "true")
	cfg, err = g.SigningConfig()
	if err != nil || cfg != (SigningConfig{Sign: true, Format: "ssh", SigningKey: "~/nycklar/a.pub"}) {
		t.Errorf("SigningConfig = %+v, %v", cfg, err)
	}
	if k, err := cfg.PublicKey(work); err != nil || !k.Equal(pub["a"]) {
		t.Errorf("PublicKey = %v, %v", k, err)
	}
	// The configured key signs a plain git commit (the hook's premise).
	h := commit("konfigurerad")
	if sig, err := g.SSHSignature(h, allowed); err != nil || sig.Status != 'G' {
		t.Errorf("commit signed by configuration: %+v, %v", sig, err)
	}
}

// A signing key from the settings: never a panic, and a key that parses prints as a line
// that parses to the same key.
func FuzzParseSSHKey(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ1bGx5IGtleSBmb3IgdGVzdHMgb25seSBub3QgcmVhbA== julia@region")
	f.Add("-----BEGIN OPENSSH PRIVATE KEY-----")
	f.Add("ssh-rsa")
	f.Fuzz(func(t *testing.T, line string) {
		k, err := ParseSSHKey(line)
		if err != nil {
			return
		}
		again, err := ParseSSHKey(k.String())
		if err != nil || !again.Equal(k) || again.Fingerprint() != k.Fingerprint() {
			t.Errorf("ParseSSHKey(%q) = %v, printed %q, parsed again %v, %v", line, k, k.String(), again, err)
		}
	})
}
