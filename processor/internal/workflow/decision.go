package workflow

import (
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/yamldoc"
)

// DecisionDoc is one written decision a type declares (beslutshandlingar): a PDF that
// processor beslut renders from a Markdown template in the type's folder once its step is
// recorded, and that is committed with that step in the case's utlamnande/ folder, e.g. the
// written decision with appeal information (FL 32–33 §§) or the dismissal of a late appeal
// (FL 45 §). The person who signs the step is the decision maker the PDF names.
type DecisionDoc struct {
	Name     string // fil: the PDF is utlamnande/<ärende>-<fil>.pdf
	Step     string // steg: the step that takes the decision
	Template string // mall: file name in templates/<typ>/
	Title    string // titel
	// Frozen (låst_från): from this step the PDF never changes (the decision has been
	// sent); until then it follows its step and may be rendered again.
	Frozen string
	// Provisions (bestämmelser): path of the provisions field whose provisions the
	// decision applies (the masks), with each provision's heading from the catalogue.
	Provisions string
	// Fields maps the template's field names to paths in the case (fält), as for the letter.
	Fields []LetterField
	node   *yaml.Node
}

// FileName is the decision PDF's file name in the case's utlamnande/ folder.
func (d *DecisionDoc) FileName(caseID string) string { return caseID + "-" + d.Name + ".pdf" }

// Decision returns the declared decision document whose file name is name, or nil.
func (t *Type) Decision(caseID, name string) *DecisionDoc {
	for _, d := range t.Decisions {
		if d.FileName(caseID) == name {
			return d
		}
	}
	return nil
}

func parseDecisions(d *yamldoc.Decoder, n *yaml.Node) []*DecisionDoc {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleTypeFile, "beslutshandlingar är en lista: - {fil: beslut, steg: beslut_fattat, mall: beslut.md, titel: …, låst_från: beslut_skickat}", "beslutshandlingar ska vara en lista")
		return nil
	}
	var out []*DecisionDoc
	for _, item := range n.Content {
		pairs, ok := d.Mapping(item, "en beslutshandling")
		if !ok {
			continue
		}
		d.Known(pairs, "en beslutshandling", []string{"fil", "steg", "mall", "titel", "låst_från", "bestämmelser", "fält"})
		doc := &DecisionDoc{node: item}
		doc.Name, _ = d.String(yamldoc.Lookup(pairs, "fil"), "fil")
		doc.Step, _ = d.String(yamldoc.Lookup(pairs, "steg"), "steg")
		doc.Template, _ = d.String(yamldoc.Lookup(pairs, "mall"), "mall")
		doc.Title, _ = d.String(yamldoc.Lookup(pairs, "titel"), "titel")
		doc.Frozen, _ = d.String(yamldoc.Lookup(pairs, "låst_från"), "låst_från")
		doc.Provisions, _ = d.String(yamldoc.Lookup(pairs, "bestämmelser"), "bestämmelser")
		if fp, ok := d.Mapping(yamldoc.Lookup(pairs, "fält"), "fält"); ok {
			for _, p := range fp {
				path, _ := d.String(p.Value, p.Key)
				doc.Fields = append(doc.Fields, LetterField{Name: p.Key, Path: path, node: p.Value})
			}
		}
		if !nameRe.MatchString(doc.Name) || doc.Step == "" || doc.Template == "" || doc.Title == "" || doc.Frozen == "" || strings.ContainsAny(doc.Template, `/\`) {
			d.Errorf(item, RuleTypeFile, "t.ex. {fil: beslut, steg: beslut_fattat, mall: beslut.md, titel: Beslut, låst_från: beslut_skickat}",
				"en beslutshandling behöver fil (gemener), steg, mall (ett filnamn i ärendetypens mapp), titel och låst_från")
			continue
		}
		out = append(out, doc)
	}
	return out
}

// checkDecisions checks that the decision documents name the type's steps and fields.
func (t *Type) checkDecisions(d *yamldoc.Decoder, checkPath func(*yaml.Node, string, string)) {
	seen := map[string]bool{}
	for _, doc := range t.Decisions {
		for _, step := range []string{doc.Step, doc.Frozen} {
			s, ok := t.Step(step)
			if !ok {
				d.Errorf(doc.node, RuleTypeFile, "steg och låst_från anger steg i ärendetypen", "beslutshandlingen %q hänvisar till steget %q som inte finns", doc.Name, step)
				continue
			}
			if step == doc.Frozen {
				if from, ok := t.Step(doc.Step); ok && s.Index <= from.Index {
					d.Errorf(doc.node, RuleTypeFile, "låst_från är ett steg efter beslutets, när beslutet har skickats", "beslutshandlingen %q låses inte efter sitt steg", doc.Name)
				}
			}
		}
		if seen[doc.Name] || doc.Name == "utlamnande" {
			d.Errorf(doc.node, RuleTypeFile, "varje beslutshandling har ett eget filnamn (inte utlamnande)", "beslutshandlingen %q finns redan", doc.Name)
		}
		seen[doc.Name] = true
		if doc.Provisions != "" {
			checkPath(doc.node, doc.Provisions, "beslutshandlingens bestämmelser")
			if f, ok := t.byPath[doc.Provisions]; ok && f.Kind != KindProvisions {
				d.Errorf(doc.node, RuleTypeFile, "bestämmelser anger ett fält av typen bestämmelser", "beslutshandlingen %q: %s är inte ett bestämmelsefält", doc.Name, doc.Provisions)
			}
		}
		for _, f := range doc.Fields {
			checkPath(f.node, f.Path, "beslutshandlingens fält "+f.Name)
		}
	}
}
