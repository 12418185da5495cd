package gate

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
)

// settingsWithKeys is a settings file whose reviewer jur1 has the signing key jurKey (a
// line, or "" for none); reg2 is a reviewer without a key.
func settingsWithKeys(jurKey, regKey string) string {
	key := func(k string) string {
		if k == "" {
			return ""
		}
		return "    signeringsnyckel: " + k + "\n"
	}
	return `myndighet:
  namn: Region Exempel
  postadress: Box 1, 999 99 Exempelstad
  e-post: region@region.example
kammarrätt: Kammarrätten i Stockholm
personer:
  - signatur: reg1
    namn: Rita Registrator
    titel: Registrator
    e-post: rita.registrator@region.example
    roller: [registrator]
    godkänd: {datum: 2026-11-02, av: jur1}
` + key(regKey) + `  - signatur: reg2
    namn: Reza Registrator
    titel: Registrator
    e-post: reza.registrator@region.example
    roller: [registrator, granskare]
    godkänd: {datum: 2026-11-02, av: jur1}
  - signatur: jur1
    namn: Julia Jurist
    titel: Regionjurist
    e-post: julia.jurist@region.example
    roller: [granskare]
    godkänd: {datum: 2026-11-02, av: reg2}
` + key(jurKey)
}

const (
	edKey  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCZhnlnwV48gzsZIMKqaDb3ZOyXUTRwE+A6u59w60AW julia@dator"
	rsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCTdAwfNhywjN0mmrkq7mNR3ICatjKJpLRmTC/id7TFfYOxWW13khJN54GYxTQG0LyHacHl58ylmbUktQM+/SKje9CbKdve4M0VPF+J5ZAkqgs/nRYOAUkPfa+h7dKDoCs10N/HjPBQ1PQ5U9MqiFLkywDmdT2oiXBBumq6Ha2k9fZzcKzSIqoKsXdsUw6IQR3q4mgBb7Jgt44BujyYP0ZtaONMPOX7DHJoc+P0AgO9456qo8nslKNta8UNcLsh7grsttpFwwzXes6iE4soigCxlRbgb9ni/ihCw2+j7zR3KcPcHyuDWdY71GEswf02qgKahO3CvXFGPYZ1KDPEUR15"
)

// The settings read signeringsnyckel: a valid key is kept without its comment; a damaged
// one is a finding at the key, and still asks for a signature no key can give.
func TestSettingsSigningKey(t *testing.T) {
	ed := strings.Fields(edKey)
	for _, c := range []struct {
		jur, reg string
		want     string // a part of the finding, "" for none
		line     int
	}{
		{"", "", "", 0},
		{edKey, "", "", 0},
		{rsaKey, "", "", 0},
		{ed[0] + " " + ed[1][:40], "", "går inte att använda", 25},
		{"ssh-dss AAAA", "", "okänd nyckeltyp", 25},
		{"~/.ssh/id_ed25519.pub", "", "sökväg", 25},
		{`"-----BEGIN OPENSSH PRIVATE KEY-----"`, "", "privat nyckel", 25},
		{"[ssh-ed25519, AAAA]", "", "ska vara en text", 25},
		{edKey, edKey, "används redan av personen på rad 7", 26},
	} {
		s, fs := settings.Parse(settings.FileName, []byte(settingsWithKeys(c.jur, c.reg)))
		jur, _ := s.Person("jur1")
		if c.want == "" {
			if len(fs) > 0 {
				t.Errorf("%q: unexpected findings %v", c.jur, fs)
			}
			if wantKey := strings.Join(strings.Fields(c.jur)[:min(2, len(strings.Fields(c.jur)))], " "); jur.SigningKey != wantKey {
				t.Errorf("%q: SigningKey %q, want %q", c.jur, jur.SigningKey, wantKey)
			}
			continue
		}
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) || fs[0].Line != c.line || fs[0].Col != 23 {
			t.Errorf("%q: findings %v, want one at %d:23 containing %q", c.jur, fs, c.line, c.want)
		}
		if jur.SigningKey == "" {
			t.Errorf("%q: a damaged key reads as no key", c.jur)
		}
	}
}

// gitEnv isolates git from the user's configuration and returns a run function.
func gitEnv(t *testing.T, dir string) func(work, name string, args ...string) string {
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
	global := filepath.Join(dir, "gitconfig")
	if err := os.WriteFile(global, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"GIT_CONFIG_GLOBAL": global, "GIT_CONFIG_NOSYSTEM": "1", "HOME": dir,
		"GIT_AUTHOR_NAME": "Julia Jurist", "GIT_AUTHOR_EMAIL": "julia.jurist@region.example",
		"GIT_COMMITTER_NAME": "Julia Jurist", "GIT_COMMITTER_EMAIL": "julia.jurist@region.example"} {
		t.Setenv(k, v)
	}
	return func(work, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
}

// An approval by a reviewer with a signing key, through fourEyes, in verify (a real
// commit, its signature checked by git and ssh-keygen) and in the hook (git's signing
// configuration).
func TestApprovalSignature(t *testing.T) {
	dir := t.TempDir()
	run := gitEnv(t, dir)
	keys, work := filepath.Join(dir, "nycklar"), filepath.Join(dir, "arkiv")
	for _, d := range []string{keys, work} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	pub := map[string]string{}
	for _, n := range []string{"julia", "annan"} {
		run(work, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", n+"@dator", "-f", filepath.Join(keys, n))
		data, err := os.ReadFile(filepath.Join(keys, n+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		pub[n] = strings.TrimSpace(string(data))
	}
	run(work, "git", "init", "-q", "-b", "main", ".")
	commit := func(msg string, sign ...string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(work, "f.txt"), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		run(work, "git", "add", "f.txt")
		run(work, "git", append(sign, "commit", "-q", "-m", msg)...)
		return strings.TrimSpace(run(work, "git", "rev-parse", "HEAD"))
	}
	commits := map[string]string{
		"julia":     signedCommit(t, run, work, "julia", filepath.Join(keys, "julia")), // the private key
		"annan":     signedCommit(t, run, work, "annan", filepath.Join(keys, "annan.pub")),
		"osignerad": commit("osignerad"),
	}

	withKey, fs := settings.Parse(settings.FileName, []byte(settingsWithKeys(pub["julia"], pub["annan"])))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	noKey, _ := settings.Parse(settings.FileName, []byte(settingsWithKeys("", "")))
	julia := gitcli.Ident{Name: "Julia Jurist", Email: "julia.jurist@region.example"}
	approve := func(s *settings.Settings, after string) finding.List {
		t.Helper()
		ch := Change{Git: gitcli.Git{Dir: work}, After: after, History: after != "", Author: julia}
		got, err := ch.fourEyes(&repo.Repo{Settings: s}, "cases/2026-0002", "cases/2026-0002/request.md",
			[]approvalAdded{{Step: "sekretessprövad", Signer: "jur1"}})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, c := range []struct {
		name   string
		s      *settings.Settings
		commit string
		want   string // a part of the finding, "" for none
	}{
		{"signerad med granskarens nyckel", withKey, commits["julia"], ""},
		{"signerad med en annans nyckel", withKey, commits["annan"], "reg1:s nyckel"},
		{"osignerad", withKey, commits["osignerad"], "inte signerad"},
		{"granskare utan nyckel", noKey, commits["osignerad"], ""},
	} {
		got := approve(c.s, c.commit)
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected findings %v", c.name, got)
		case c.want != "" && (len(got) != 1 || got[0].Rule != RuleFourEyes || !strings.Contains(got[0].Message, c.want) ||
			!strings.Contains(got[0].Message, short(c.commit)) || !strings.Contains(got[0].Hint, "gpg.format ssh")):
			t.Errorf("%s: findings %v, want one %s finding naming the commit, containing %q", c.name, got, RuleFourEyes, c.want)
		}
	}

	// The hook: the commit is not made yet, so git's configuration is what is checked.
	if got := approve(withKey, ""); len(got) != 1 || !strings.Contains(got[0].Message, "commit.gpgsign") {
		t.Errorf("hook, nothing configured: %v", got)
	}
	if got := approve(noKey, ""); len(got) > 0 {
		t.Errorf("hook, reviewer without key: %v", got)
	}
	run(work, "git", "config", "gpg.format", "ssh")
	run(work, "git", "config", "commit.gpgsign", "true")
	run(work, "git", "config", "user.signingkey", "~/nycklar/annan.pub")
	if got := approve(withKey, ""); len(got) != 1 || !strings.Contains(got[0].Message, "en annan nyckel") {
		t.Errorf("hook, another key configured: %v", got)
	}
	run(work, "git", "config", "user.signingkey", "~/nycklar/julia.pub")
	if got := approve(withKey, ""); len(got) > 0 {
		t.Errorf("hook, configured to sign with the reviewer's key: %v", got)
	}
	// And what the configuration makes git do passes verify.
	if got := approve(withKey, commit("konfigurerad")); len(got) > 0 {
		t.Errorf("verify, commit signed by the configuration: %v", got)
	}

	// Without ssh-keygen, verify stops with an error; it does not pass the approval.
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(gitPath, filepath.Join(bin, filepath.Base(gitPath))); err != nil {
		t.Skipf("no symbolic link for a PATH without ssh-keygen: %v", err)
	}
	t.Setenv("PATH", bin)
	ch := Change{Git: gitcli.Git{Dir: work}, After: commits["julia"], History: true, Author: julia}
	_, err = ch.fourEyes(&repo.Repo{Settings: withKey}, "cases/2026-0002", "cases/2026-0002/request.md",
		[]approvalAdded{{Step: "sekretessprövad", Signer: "jur1"}})
	if err == nil || !strings.Contains(err.Error(), "openssh-client") || !strings.Contains(err.Error(), short(commits["julia"])) {
		t.Errorf("verify without ssh-keygen: %v, want an error naming the commit and openssh-client", err)
	}
}

// signedCommit makes a commit signed with key (a private key, or a public key whose
// private key is beside it) with git commit -S.
func signedCommit(t *testing.T, run func(string, string, ...string) string, work, msg, key string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(work, "f.txt"), []byte(msg+" signerad"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(work, "git", "add", "f.txt")
	run(work, "git", "-c", "user.signingkey="+key, "-c", "gpg.format=ssh", "commit", "-q", "-S", "-m", msg)
	return strings.TrimSpace(run(work, "git", "rev-parse", "HEAD"))
}

func TestSigningConfigProblem(t *testing.T) {
	want, err := gitcli.ParseSSHKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "id_ed25519.pub"), []byte(edKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := func(key string) gitcli.SigningConfig {
		return gitcli.SigningConfig{Sign: true, Format: "ssh", SigningKey: key}
	}
	for _, c := range []struct {
		cfg  gitcli.SigningConfig
		want []string // parts of the problem, none when there is none
	}{
		{ok("key::" + edKey), nil},
		{ok(strings.Join(strings.Fields(edKey)[:2], " ")), nil}, // a literal key line
		{ok(filepath.Join(dir, "id_ed25519.pub")), nil},
		{ok("id_ed25519.pub"), nil}, // relative to the work tree
		{ok("key::" + rsaKey), []string{"en annan nyckel"}},
		{ok(""), []string{"user.signingkey är inte satt"}},
		{ok(filepath.Join(dir, "saknas.pub")), []string{"kan inte läsas"}},
		{gitcli.SigningConfig{Format: "ssh", SigningKey: "key::" + edKey}, []string{"commit.gpgsign är inte true"}},
		{gitcli.SigningConfig{Sign: true, SigningKey: "key::" + edKey}, []string{"gpg.format är inte satt till ssh"}},
		{gitcli.SigningConfig{Sign: true, Format: "openpgp", SigningKey: "ABCD1234"}, []string{`gpg.format är "openpgp"`, "kan inte läsas"}},
		{gitcli.SigningConfig{}, []string{"commit.gpgsign", "gpg.format", "user.signingkey"}},
	} {
		got := signingConfigProblem(c.cfg, want, dir)
		if len(c.want) == 0 && got != "" {
			t.Errorf("%+v: %q, want no problem", c.cfg, got)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%+v: %q, want it to contain %q", c.cfg, got, w)
			}
		}
	}
}

func TestAllowedSigners(t *testing.T) {
	s, _ := settings.Parse(settings.FileName, []byte(settingsWithKeys(edKey, rsaKey)))
	got := allowedSigners(s)
	want := fmt.Sprintf("rita.registrator@region.example namespaces=\"git\" %s\njulia.jurist@region.example namespaces=\"git\" %s\n",
		rsaKey, strings.Join(strings.Fields(edKey)[:2], " "))
	if got != want {
		t.Errorf("allowedSigners =\n%s\nwant\n%s", got, want)
	}
}
