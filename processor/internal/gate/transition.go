package gate

import (
	"bytes"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/yamldoc"
)

// state is one version of a case's request.md, decoded against its type. rec is nil when
// the front matter could not be decoded (then no transition rule can be applied to it).
type state struct {
	c   *casefile.Case
	rec *workflow.Record
}

// step returns the raw YAML of step name, or nil.
func (s state) step(name string) *yaml.Node {
	for _, p := range s.c.Steps {
		if p.Key == name {
			return p.Value
		}
	}
	return nil
}

func (s state) recorded(name string) bool {
	if s.rec == nil || name == "" {
		return false
	}
	_, ok := s.rec.Recorded(name)
	return ok
}

func (s state) corrections() []workflow.Correction {
	if s.rec == nil {
		return nil
	}
	if v := s.rec.Value(workflow.CorrectionsKey); v != nil {
		return v.Corrections
	}
	return nil
}

// approvalAdded is an approval that a change adds to a step.
type approvalAdded struct {
	Step     string
	Signer   string
	NewStep  bool // the step itself is recorded in the same change
	Node     *yaml.Node
	NodeFile string
}

// transition applies the rules of how a case may change between two versions: steps are
// only added, in order; a committed step changes or goes only with a correction; the
// corrections are only added to; a released case's steps up to the release and its facts
// never change; a closed case takes only its retention step. It also returns the approvals
// the change adds, for the four-eyes rule, which needs to know who commits.
//
// span: the change spans several commits that were checked one by one (a merge compared
// with a parent whose branch it did not take the case from): then only what no commit may
// undo is checked (committed steps, corrections, the locks), not what a single commit must
// bring along (a correction with its change, steps in order).
func transition(before, after state, span bool) (fs finding.List, approvals []approvalAdded) {
	file := after.c.File
	t := after.rec.Type
	locks := t.Locks
	if locks == nil {
		locks = &workflow.LockSpec{}
	}
	at := func(n *yaml.Node) (int, int) {
		if n == nil {
			return 0, 0
		}
		return n.Line, n.Column
	}
	add := func(n *yaml.Node, rule, msg, hint string) {
		l, c := at(n)
		fs.Add(file, l, c, rule, msg, hint)
	}
	released := before.recorded(locks.Released)
	closed := before.recorded(locks.Closed)
	releasedIndex := -1
	if s, ok := t.Step(locks.Released); ok && released {
		releasedIndex = s.Index
	}

	// The corrections: those committed stay as they are, first; the rest are new.
	bc, ac := before.corrections(), after.corrections()
	newCorr := ac
	for i, c := range bc {
		if i >= len(ac) || !sameCorrection(c, ac[i]) {
			n := after.c.Root
			if i < len(ac) {
				n = ac[i].Node
			}
			add(n, RuleCorrection, fmt.Sprintf("den incheckade rättelsen av steget %s (%s) har ändrats eller tagits bort", c.Step, c.Date),
				"rättelser läggs bara till, sist i listan; en felaktig rättelse rättas med en ny rättelse")
			newCorr = nil
			break
		}
	}
	if newCorr != nil {
		newCorr = ac[len(bc):]
	}
	corrected := map[string]*workflow.Correction{}
	for i := range newCorr {
		corrected[newCorr[i].Step] = &newCorr[i]
	}
	used := map[string]bool{}
	frozenHint := "ärendet är utlämnat: det som lämnades ut och stegen fram till utlämnandet ändras inte, inte heller med rättelse; skriv en anteckning i request.md:s brödtext i stället"

	// Committed steps.
	maxIndex := -1
	for _, p := range before.c.Steps {
		s, ok := t.Step(p.Key)
		if !ok {
			continue
		}
		maxIndex = max(maxIndex, s.Index)
		now := after.step(p.Key)
		oldBody, oldApproval := workflow.StepCanon(p.Value)
		if now == nil {
			if released && s.Index <= releasedIndex {
				add(after.c.StepsN, RuleReleased, fmt.Sprintf("steget %s är borttaget, men ärendet är utlämnat", p.Key), frozenHint)
				continue
			}
			if corrected[p.Key] != nil {
				used[p.Key] = true
				continue
			}
			add(after.c.StepsN, RuleStepChanged, fmt.Sprintf("steget %s är incheckat och har tagits bort", p.Key), correctionHint(p.Key))
			continue
		}
		newBody, newApproval := workflow.StepCanon(now)
		keyN := keyNode(after.c.Steps, p.Key)
		if oldBody != newBody {
			switch {
			case released && s.Index <= releasedIndex:
				add(keyN, RuleReleased, fmt.Sprintf("steget %s har ändrats, men ärendet är utlämnat", p.Key), frozenHint)
			case corrected[p.Key] != nil:
				used[p.Key] = true
				if oldApproval != "" && oldApproval == newApproval {
					add(keyN, RuleStepChanged, fmt.Sprintf("steget %s är rättat men behåller sitt godkännande, som gällde det tidigare innehållet", p.Key),
						"ta bort godkänd: i steget; granskaren godkänner det rättade steget i en egen commit")
				}
			default:
				add(keyN, RuleStepChanged, fmt.Sprintf("steget %s är incheckat och har ändrats", p.Key), correctionHint(p.Key))
			}
			continue
		}
		if oldApproval != newApproval {
			switch {
			case oldApproval == "":
				approvals = append(approvals, approvalAdded{Step: p.Key, Signer: approvalSigner(after, p.Key), Node: approvalNode(now)})
			case released && s.Index <= releasedIndex:
				add(keyN, RuleReleased, fmt.Sprintf("godkännandet av steget %s har ändrats, men ärendet är utlämnat", p.Key), frozenHint)
			case corrected[p.Key] != nil:
				used[p.Key] = true
				if newApproval != "" {
					// A new approval in place of the old one (a new version approved): the
					// same four-eyes rules as for a first approval.
					approvals = append(approvals, approvalAdded{Step: p.Key, Signer: approvalSigner(after, p.Key), Node: approvalNode(now)})
				}
			default:
				add(keyN, RuleStepChanged, fmt.Sprintf("godkännandet av steget %s är incheckat och har ändrats eller tagits bort", p.Key), correctionHint(p.Key))
			}
		}
	}

	// New steps.
	var added []string
	for _, p := range after.c.Steps {
		s, ok := t.Step(p.Key)
		if !ok || before.step(p.Key) != nil {
			continue
		}
		added = append(added, p.Key)
		if s.Index < maxIndex && !span {
			if corrected[p.Key] != nil {
				used[p.Key] = true
			} else {
				last := before.rec.Last()
				add(p.KeyN, RuleStepInserted, fmt.Sprintf("steget %s läggs till före steget %s, som redan är incheckat", p.Key, last.Step.Name),
					"steg registreras i rutinens ordning; har ett steg glömts, lägg till det med en rättelse som säger varför")
			}
		}
		if _, approval := workflow.StepCanon(p.Value); approval != "" {
			approvals = append(approvals, approvalAdded{Step: p.Key, Signer: approvalSigner(after, p.Key), NewStep: true, Node: approvalNode(p.Value)})
		}
	}

	// Corrections that correct nothing, or what may not be corrected.
	for _, c := range newCorr {
		s, ok := t.Step(c.Step)
		switch {
		case !ok:
			// The engine reports the unknown step.
		case released && s.Index <= releasedIndex:
			add(c.Node, RuleReleased, fmt.Sprintf("rättelsen gäller steget %s, men ärendet är utlämnat", c.Step), frozenHint)
		case !used[c.Step] && !span:
			add(c.Node, RuleCorrection, fmt.Sprintf("rättelsen gäller steget %s, men steget är oförändrat i denna commit", c.Step),
				"en rättelse checkas in tillsammans med ändringen av steget den gäller")
		}
	}

	// Released: the case's facts are what was released.
	if released {
		for _, p := range before.c.Fields {
			if p.Key == workflow.CorrectionsKey {
				continue
			}
			now := lookupPair(after.c.Fields, p.Key)
			if now == nil || yamldoc.Canon(now.Value) != yamldoc.Canon(p.Value) {
				n := after.c.Root
				if now != nil {
					n = now.KeyN
				}
				add(n, RuleReleased, fmt.Sprintf("uppgiften %s har ändrats, men ärendet är utlämnat", p.Key), frozenHint)
			}
		}
		for _, p := range after.c.Fields {
			if p.Key != workflow.CorrectionsKey && lookupPair(before.c.Fields, p.Key) == nil {
				add(p.KeyN, RuleReleased, fmt.Sprintf("uppgiften %s har lagts till, men ärendet är utlämnat", p.Key), frozenHint)
			}
		}
	}

	// Closed: only the retention step, once.
	if closed {
		purging := locks.Purged != "" && slices.Contains(added, locks.Purged) && !before.recorded(locks.Purged)
		other := slices.DeleteFunc(slices.Clone(added), func(s string) bool { return s == locks.Purged && purging })
		for _, s := range other {
			add(keyNode(after.c.Steps, s), RuleClosed, fmt.Sprintf("steget %s läggs till, men ärendet är avslutat", s),
				"ett avslutat ärende tar bara emot gallringssteget ("+locks.Purged+")")
		}
		if len(newCorr) > 0 {
			add(newCorr[0].Node, RuleClosed, "rättelser läggs till, men ärendet är avslutat", "ett avslutat ärende tar bara emot gallringssteget ("+locks.Purged+")")
		}
		if !purging && !bytes.Equal(before.c.Body, after.c.Body) {
			fs.Add(file, after.c.BodyLine, 0, RuleClosed, "brödtexten har ändrats, men ärendet är avslutat",
				"en anteckning om gallringen skrivs i samma commit som gallringssteget ("+locks.Purged+")")
		}
	}
	return fs, approvals
}

func correctionHint(step string) string {
	return "ett incheckat steg ändras bara med en rättelse i samma commit: lägg till under rättelser: - {steg: " + step +
		", datum: ÅÅÅÅ-MM-DD, av: signatur, skäl: \"vad som var fel\"}"
}

func sameCorrection(a, b workflow.Correction) bool {
	return yamldoc.Canon(a.Node) == yamldoc.Canon(b.Node)
}

func keyNode(pairs []yamldoc.Pair, key string) *yaml.Node {
	if p := lookupPair(pairs, key); p != nil {
		return p.KeyN
	}
	return nil
}

func lookupPair(pairs []yamldoc.Pair, key string) *yamldoc.Pair {
	for i := range pairs {
		if pairs[i].Key == key {
			return &pairs[i]
		}
	}
	return nil
}

const approvalKey = workflow.ApprovalKey

func approvalSigner(s state, step string) string {
	if s.rec == nil {
		return ""
	}
	if v := s.rec.Value("steg." + step + "." + approvalKey); v != nil && v.Approval != nil {
		return v.Approval.Signer
	}
	return ""
}

func approvalNode(step *yaml.Node) *yaml.Node {
	if step == nil || step.Kind != yaml.MappingNode {
		return step
	}
	for i := 0; i+1 < len(step.Content); i += 2 {
		if step.Content[i].Value == approvalKey {
			return step.Content[i]
		}
	}
	return step
}
