package gate

// Signed approvals. The four-eyes rule identifies the approver by the git author's e-mail,
// which anyone can type (git -c user.email=…). A reviewer whose person in the settings has
// a signing key (signeringsnyckel) must sign the approval commit with it, with git's own
// SSH signing (gpg.format ssh): verify checks the commit's signature with git against an
// allowed-signers file made from the settings; the hook, before the commit exists, checks
// that git is configured to sign it with that key.

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
)

// signHint tells a reviewer how to make git sign their commits.
const signHint = "granskaren signerar sina commits med sin SSH-nyckel: git config --global gpg.format ssh; " +
	"git config --global user.signingkey ~/.ssh/id_ed25519.pub; git config --global commit.gpgsign true " +
	"(nyckeln ska vara signeringsnyckeln i " + settings.FileName + "; se README.md, Signerade godkännanden)"

// requireSignature adds a finding to fs unless the approval a, committed by p, is signed
// (verify) or will be signed (hook) with p's signing key. A person without a key is not
// asked for a signature. line and col are the approval's place in file.
func (ch Change) requireSignature(r *repo.Repo, p settings.Person, a approvalAdded, file string, line, col int, fs *finding.List) error {
	if p.SigningKey == "" {
		return nil
	}
	who := fmt.Sprintf("%s (%s)", p.Signature, p.Name)
	key, err := gitcli.ParseSSHKey(p.SigningKey)
	if err != nil {
		fs.Add(file, line, col, RuleFourEyes,
			fmt.Sprintf("godkännandet av steget %s kan inte kontrolleras: signeringsnyckeln för %s i %s går inte att använda (%v)", a.Step, who, settings.FileName, err),
			"rätta signeringsnyckel: i "+settings.FileName+" (hela raden ur den publika nyckelfilen, t.ex. ~/.ssh/id_ed25519.pub)")
		return nil
	}
	if ch.After == "" {
		cfg, err := ch.Git.SigningConfig()
		if err != nil {
			return err
		}
		if problem := signingConfigProblem(cfg, key, ch.Git.Dir); problem != "" {
			fs.Add(file, line, col, RuleFourEyes,
				fmt.Sprintf("%s godkänner steget %s, men git är inte inställt på att signera commiten med %s:s signeringsnyckel: %s", who, a.Step, p.Signature, problem),
				signHint)
		}
		return nil
	}
	// r carries the parent's settings (parent.go): a commit cannot change a reviewer's key
	// and approve with the new one; a changed key is a changed person (personnel.go).
	sig, err := ch.commitSignature(r.Settings, ch.After)
	if err != nil {
		return err
	}
	if problem := signatureProblem(sig, key, r.Settings); problem != "" {
		fs.Add(file, line, col, RuleFourEyes,
			fmt.Sprintf("godkännandet av steget %s av %s i commit %s är inte signerat med granskarens signeringsnyckel: %s", a.Step, who, short(ch.After), problem),
			signHint+"; signera commiten på nytt med git commit --amend --no-edit -S och pusha den")
	}
	return nil
}

// commitSignature verifies the signature of commit with git, against an allowed-signers
// file written from s.
func (ch Change) commitSignature(s *settings.Settings, commit string) (gitcli.Signature, error) {
	f, err := os.CreateTemp("", "utlamnande-signerare-")
	if err != nil {
		return gitcli.Signature{}, err
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString(allowedSigners(s))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return gitcli.Signature{}, werr
	}
	sig, err := ch.Git.SSHSignature(commit, f.Name())
	if errors.Is(err, gitcli.ErrNoSSHKeygen) {
		return sig, fmt.Errorf("commit %s har ett godkännande som ska vara signerat, men %w", short(commit), err)
	}
	return sig, err
}

// allowedSigners is git's allowed-signers file for the people of s who have a valid
// signing key: "<e-mail> namespaces="git" <type> <base64>", one a line. An address that
// the format would read as a pattern or a list is left out (its key then never verifies).
func allowedSigners(s *settings.Settings) string {
	var b strings.Builder
	for _, p := range s.People {
		k, err := gitcli.ParseSSHKey(p.SigningKey)
		if p.SigningKey == "" || err != nil || p.Email == "" || strings.ContainsAny(p.Email, ",*?!\"' \t\r\n#") {
			continue
		}
		fmt.Fprintf(&b, "%s namespaces=\"git\" %s\n", p.Email, k)
	}
	return b.String()
}

// signatureProblem says, in Swedish, what is wrong with sig for an approval that must be
// signed with key; "" when it is a good signature by exactly that key.
func signatureProblem(sig gitcli.Signature, key gitcli.SSHKey, s *settings.Settings) string {
	if sig.Status == 'N' {
		return "commiten är inte signerad"
	}
	if sig.Key != "" && sig.Key != key.Fingerprint() {
		by := "en annan nyckel (" + sig.Key + ")"
		if q, ok := s.PersonByEmail(sig.Signer); ok && sig.Signer != "" {
			by = fmt.Sprintf("%s:s nyckel (%s)", q.Signature, sig.Key)
		}
		return "den är signerad med " + by
	}
	switch sig.Status {
	case 'G':
		if sig.Key == key.Fingerprint() {
			return ""
		}
		return "git anger inte vilken nyckel som signerade"
	case 'U':
		return "nyckeln som signerade finns inte bland signeringsnycklarna i " + settings.FileName
	case 'B':
		return "signaturen stämmer inte med commiten (har den ändrats efter signeringen?)"
	case 'X', 'Y':
		return "signaturen eller nyckeln har gått ut"
	case 'R':
		return "nyckeln är återkallad"
	}
	return "signaturen kan inte kontrolleras (är den en SSH-signatur? git kontrollerar med gpg.format ssh)"
}

// signingConfigProblem says, in Swedish, why git configured as cfg does not sign the commit
// being made with key; "" when it does. dir is where a relative user.signingkey is read.
func signingConfigProblem(cfg gitcli.SigningConfig, key gitcli.SSHKey, dir string) string {
	var missing []string
	if !cfg.Sign {
		missing = append(missing, "commit.gpgsign är inte true")
	}
	if cfg.Format != "ssh" {
		if cfg.Format == "" {
			missing = append(missing, "gpg.format är inte satt till ssh")
		} else {
			missing = append(missing, fmt.Sprintf("gpg.format är %q, inte ssh", cfg.Format))
		}
	}
	switch got, err := cfg.PublicKey(dir); {
	case err != nil:
		missing = append(missing, err.Error())
	case !got.Equal(key):
		missing = append(missing, fmt.Sprintf("user.signingkey är en annan nyckel (%s) än signeringsnyckeln (%s)", got.Fingerprint(), key.Fingerprint()))
	}
	return strings.Join(missing, "; ")
}
