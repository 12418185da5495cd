package gitcli

// Git's own SSH signing (gpg.format ssh): the public key lines of the settings, the
// signature a commit carries as git verifies it against an allowed-signers file, and the
// configuration with which git signs the commit being made.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SSHKeyTypes are the public key types git can sign commits with (through ssh-keygen).
var SSHKeyTypes = []string{
	"ssh-ed25519",
	"ssh-rsa",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
}

// SSHKey is an SSH public key: "<type> <base64 blob> [comment]".
type SSHKey struct {
	Type    string
	Blob    []byte // the decoded key blob
	Comment string
}

// String is the key without its comment: "<type> <base64>".
func (k SSHKey) String() string {
	return k.Type + " " + base64.StdEncoding.EncodeToString(k.Blob)
}

// Fingerprint is the key's SHA-256 fingerprint as ssh-keygen -l and git's %GK show it.
func (k SSHKey) Fingerprint() string {
	sum := sha256.Sum256(k.Blob)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Equal reports whether two keys are the same key (comments aside).
func (k SSHKey) Equal(o SSHKey) bool { return k.Type == o.Type && bytes.Equal(k.Blob, o.Blob) }

// ParseSSHKey reads a public key line: a known type, a base64 blob whose first field names
// the same type and whose fields fill it exactly, and an optional comment. The errors are
// in Swedish, for a finding.
func ParseSSHKey(line string) (SSHKey, error) {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "-----BEGIN") {
		return SSHKey{}, errors.New("det är en privat nyckel (eller ett certifikat), inte en publik nyckel")
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		if len(f) == 1 && (strings.ContainsAny(f[0], `/\`) || strings.HasSuffix(f[0], ".pub")) {
			return SSHKey{}, errors.New("det ser ut som en sökväg; ange själva nyckeln (innehållet i .pub-filen)")
		}
		return SSHKey{}, errors.New("en publik nyckel är en rad med nyckeltyp och nyckel, t.ex. ssh-ed25519 AAAAC3… namn@dator")
	}
	k := SSHKey{Type: f[0], Comment: strings.Join(f[2:], " ")}
	known := false
	for _, t := range SSHKeyTypes {
		known = known || t == k.Type
	}
	if !known {
		return SSHKey{}, fmt.Errorf("okänd nyckeltyp %q (kända: %s)", k.Type, strings.Join(SSHKeyTypes, ", "))
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil {
		return SSHKey{}, errors.New("nyckeln efter nyckeltypen är inte giltig base64 (har raden kapats eller brutits?)")
	}
	fields, ok := sshFields(blob)
	switch {
	case !ok || len(fields) < 2:
		return SSHKey{}, errors.New("nyckeln går inte att läsa (har raden kapats eller ändrats?)")
	case string(fields[0]) != k.Type:
		return SSHKey{}, fmt.Errorf("nyckeln är av typen %q men raden börjar med %q", clip(fields[0]), k.Type)
	case k.Type == "ssh-ed25519" && (len(fields) != 2 || len(fields[1]) != 32):
		return SSHKey{}, errors.New("nyckeln har fel längd för ssh-ed25519 (har raden kapats eller ändrats?)")
	}
	k.Blob = blob
	return k, nil
}

// sshFields splits an SSH wire-format blob into its length-prefixed fields; ok is false
// unless they fill it exactly.
func sshFields(b []byte) (fields [][]byte, ok bool) {
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, false
		}
		fields = append(fields, b[4:4+n])
		b = b[4+n:]
	}
	return fields, true
}

// ErrNoSSHKeygen is returned when ssh-keygen, which git runs to check SSH signatures, is
// not installed.
var ErrNoSSHKeygen = errors.New("ssh-keygen saknas, och git behöver det för att kontrollera SSH-signaturer: installera openssh-client (Debian/Ubuntu: apt-get install openssh-client; Windows: OpenSSH-klienten, som följer med Git for Windows)")

// Signature is the signature of a commit as git verifies it.
type Signature struct {
	// Status is git's %G?: 'G' good, 'U' good but the key is not among the allowed
	// signers, 'B' bad, 'X' expired signature, 'Y' expired key, 'R' revoked key, 'E' cannot
	// be checked, 'N' no signature.
	Status byte
	Key    string // %GK: for SSH, the fingerprint of the key that made it (SHA256:…)
	Signer string // %GS: the principal of the allowed-signers file that matched
}

// SSHSignature verifies the signature of commit with git's SSH signing, against the
// allowed-signers file allowedSigners (lines "<principal> namespaces="git" <type> <base64>").
// ssh-keygen is found on PATH and named to git, so that no configured gpg.ssh.program
// decides; a missing ssh-keygen is ErrNoSSHKeygen.
func (g Git) SSHSignature(commit, allowedSigners string) (Signature, error) {
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		return Signature{}, ErrNoSSHKeygen
	}
	out, err := g.Output("-c", "gpg.format=ssh", "-c", "gpg.ssh.program="+keygen, "-c", "gpg.ssh.allowedSignersFile="+allowedSigners,
		"log", "-1", "--no-show-signature", "--format=%G?%x00%GK%x00%GS%x00", "--end-of-options", commit, "--")
	if err != nil {
		return Signature{}, fmt.Errorf("%w (SSH-signaturer kräver git 2.34 eller senare)", err)
	}
	return parseSignature(out)
}

// parseSignature reads "%G?" NUL "%GK" NUL "%GS" NUL.
func parseSignature(out []byte) (Signature, error) {
	f := strings.Split(string(bytes.TrimLeft(out, "\n")), "\x00")
	if len(f) < 3 || len(f[0]) != 1 || !strings.Contains("GUBXYREN", f[0]) {
		return Signature{}, fmt.Errorf("oväntat svar från git log om signaturen: %q", clip(out))
	}
	return Signature{Status: f[0][0], Key: strings.TrimSpace(f[1]), Signer: strings.TrimSpace(f[2])}, nil
}

// SigningConfig is how git is configured to sign the commits it makes.
type SigningConfig struct {
	Sign       bool   // commit.gpgsign
	Format     string // gpg.format ("" is openpgp)
	SigningKey string // user.signingkey, as written
}

// SigningConfig reads commit.gpgsign, gpg.format and user.signingkey with one git config
// process, as git commit will see them (every scope, and git -c).
func (g Git) SigningConfig() (SigningConfig, error) {
	cmd := g.command("config", "-z", "--get-regexp", `^(commit\.gpgsign|gpg\.format|user\.signingkey)$`)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() == 1 && len(out) == 0:
		return SigningConfig{}, nil // none of them is set
	case errors.As(err, &ee):
		return SigningConfig{}, fmt.Errorf("git config: %s", strings.TrimSpace(stderr.String()))
	case err != nil:
		return SigningConfig{}, fmt.Errorf("git kan inte köras (är git installerat?): %w", err)
	}
	return parseSigningConfig(out)
}

// parseSigningConfig reads git config -z output: "key" LF "value" NUL, or "key" NUL for a
// key without a value (a true boolean). The last value of a key wins, as in git.
func parseSigningConfig(out []byte) (SigningConfig, error) {
	var c SigningConfig
	for _, rec := range strings.Split(string(out), "\x00") {
		if rec == "" {
			continue
		}
		key, value, hasValue := strings.Cut(rec, "\n")
		switch strings.ToLower(key) {
		case "commit.gpgsign":
			b, ok := gitBool(value, hasValue)
			if !ok {
				return c, fmt.Errorf("commit.gpgsign har värdet %q, som inte är sant eller falskt", value)
			}
			c.Sign = b
		case "gpg.format":
			c.Format = value
		case "user.signingkey":
			c.SigningKey = value
		}
	}
	return c, nil
}

// gitBool reads a boolean as git does.
func gitBool(v string, hasValue bool) (value, ok bool) {
	if !hasValue {
		return true, true
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0", "":
		return false, true
	}
	return false, false
}

// PublicKey returns the public key git signs with, by git's reading of user.signingkey
// for SSH: "key::<key line>" or a literal "ssh-…" line is the key itself; anything else is
// a file (~/ is the home folder; a relative path is relative to dir): a public key file, or
// a private key whose public key is beside it as <path>.pub. The errors are in Swedish.
func (c SigningConfig) PublicKey(dir string) (SSHKey, error) {
	v := strings.TrimSpace(c.SigningKey)
	if literal, ok := strings.CutPrefix(v, "key::"); ok {
		return ParseSSHKey(literal)
	}
	if strings.HasPrefix(v, "ssh-") {
		return ParseSSHKey(v)
	}
	if v == "" {
		return SSHKey{}, errors.New("user.signingkey är inte satt")
	}
	p := v
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home := os.Getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return SSHKey{}, fmt.Errorf("user.signingkey %q: hemmappen är okänd", v)
			}
		}
		p = filepath.Join(home, filepath.FromSlash(rest))
	} else if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return SSHKey{}, fmt.Errorf("user.signingkey %q: filen kan inte läsas", v)
	}
	if bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		pub, err := os.ReadFile(p + ".pub")
		if err != nil {
			return SSHKey{}, fmt.Errorf("user.signingkey %q är en privat nyckel och %s.pub saknas, så det går inte att se vilken nyckel som signerar (ange .pub-filen)", v, filepath.Base(p))
		}
		data = pub
	}
	k, err := ParseSSHKey(firstLine(data))
	if err != nil {
		return SSHKey{}, fmt.Errorf("user.signingkey %q: %v", v, err)
	}
	return k, nil
}

func firstLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}
