package mailfile

import (
	"encoding/hex"
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestHTMLToText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"block och br", "<div>a</div><div>b<br>c</div><p>d</p>e", "a\nb\nc\nd\ne"},
		{"br efter block ger tom rad", "<div>a</div><br><div>b</div>", "a\n\nb"},
		{"blanksteg", "  Hej\n\t  du   <b>där</b> , <i>ja</i>  ", "Hej du där , ja"},
		{"entiteter och nbsp", "a&nbsp;&nbsp;b &amp; &lt;c&gt; &euro;&#8364;&#x20AC; &auml;", "a  b & <c> €€€ ä"},
		{"pre", "<pre>  x\n    y</pre>z", "  x\n    y\nz"},
		{"listor", "<ul><li>ett</li><li>två<ul><li>inre</li></ul></li></ul><ol start=3><li>tre</li><li>fyra</li></ol>", "- ett\n- två\n  - inre\n3. tre\n4. fyra"},
		{"tabell", "<table><tr><th>Namn</th><th>Tel</th></tr><tr><td>Anna</td><td></td><td>010</td></tr></table>", "Namn | Tel\nAnna | 010"},
		{"länkar", `<a href="https://x.example/a?b=1">läs mer</a> <a href="mailto:a@b.se">a@b.se</a> <a href="http://www.x.se/">www.x.se</a> <a href="#top">upp</a> <a href="javascript:alert(1)">js</a>`,
			"läs mer (https://x.example/a?b=1) a@b.se www.x.se upp js"},
		{"bild", `<p>logo <img src="cid:x" alt="Kommunens logga"> <img src=y></p>`, "logo [bild: Kommunens logga]"},
		{"inte text", "<html><head><title>T</title><style>p{}</style><script>var x=1</script></head><body><!-- kommentar --><template><p>mall</p></template><p>text</p><noscript>ns</noscript></body></html>", "text\nns"},
		{"outlook villkorskommentar", "<p>a</p><!--[if mso]><p>bara outlook</p><![endif]--><p>b</p>", "a\nb"},
		{"nollbredd", "a\u200b\u00adb\u200dc", "abc"},
		{"många tomrader", "a<br><br><br><br><br><br>b", "a\n\n\nb"},
		{"rubriker", "<h1>Rubrik</h1><p>stycke</p><blockquote>citat</blockquote>", "Rubrik\nstycke\ncitat"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := htmlToText(c.in).text; got != c.want {
				t.Errorf("htmlToText(%q)\n fick    %q\n väntade %q", c.in, got, c.want)
			}
		})
	}
}

func TestHTMLHiddenRule(t *testing.T) {
	cases := []struct{ name, in, visible, hidden, why string }{
		{"hidden-attribut", `<p>a</p><div hidden>dold</div>`, "a", "dold", "hidden-attribut"},
		{"display none", `<p>a</p><span style="color:red; DISPLAY : none">dold</span>`, "a", "dold", "display:none"},
		{"visibility", `a<span style="visibility:hidden">dold</span>`, "a", "dold", "visibility:hidden"},
		{"font-size 0", `a<span style="font-size:0px">dold</span><span style="font-size:0.0em">dold2</span><span style="font-size:10px">syns</span>`, "asyns", "dold\ndold2", "font-size:0"},
		{"mso-hide", `a<div style="mso-hide:all">dold</div>`, "a", "dold", "mso-hide:all"},
		{"opacity", `a<div style="opacity:0">dold</div>`, "a", "dold", "opacity:0"},
		{"höjd 0", `a<div style="max-height:0;overflow:hidden">dold</div><div style="height:0">syns</div>`, "a\nsyns", "dold", "storlek 0"},
		{"klassregel", `<style>.x{color:red} .pre, div.gomd { display:none }</style>a<div class="y gomd">dold</div><div class="x">syns</div>`, "a\nsyns", "dold", ".gomd {display:none}"},
		{"id-regel", `<style>#p{visibility:hidden}</style>a<p id=p>dold</p>`, "a", "dold", "#p {visibility:hidden}"},
		{"media ignoreras", `<style>@media (max-width:600px){.m{display:none}}</style><div class=m>syns</div>`, "syns", "", ""},
		{"vit på vit syns", `<div style="color:#fff;background:#fff">vit</div>`, "vit", "", ""},
		{"nästlat", `<div style="display:none">ett<p>två</p><span style="display:block">tre</span></div>`, "", "ett\ntvå\ntre", "display:none"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := htmlToText(c.in)
			if r.text != c.visible || r.hidden != c.hidden {
				t.Errorf("synligt %q dolt %q, väntade %q / %q", r.text, r.hidden, c.visible, c.hidden)
			}
			if c.why != "" && (len(r.hiddenWhy) == 0 || !strings.Contains(strings.Join(r.hiddenWhy, ","), c.why)) {
				t.Errorf("skäl %q, väntade %q", r.hiddenWhy, c.why)
			}
		})
	}
}

func TestHTMLDeepNesting(t *testing.T) {
	in := strings.Repeat("<div>", 200000) + "djupt" + strings.Repeat("</div>", 200000)
	var r htmlResult
	withTimeout(t, 20*time.Second, func() { r = htmlToText(in) })
	if r.text != "djupt" || !r.degraded {
		t.Errorf("%q %v", truncate(r.text, 200), r.degraded)
	}
	in = strings.Repeat("<div>", 400) + "djupt<span hidden>dold</span>" + strings.Repeat("</div>", 400)
	if r = htmlToText(in); r.text != "djupt" || r.hidden != "dold" || r.degraded {
		t.Errorf("%q %q %v", truncate(r.text, 200), r.hidden, r.degraded)
	}
}

func TestMissingWords(t *testing.T) {
	if m := missingWords("Hej Åsa, se BILAGA 2!", "hej åsa se bilaga 2"); len(m) != 0 {
		t.Errorf("%q", m)
	}
	if m := missingWords("a b personnummer 19121212-1212", "a b"); strings.Join(m, ",") != "personnummer,19121212,1212" {
		t.Errorf("%q", m)
	}
}

func TestRTFDecompressSpec(t *testing.T) {
	// the two examples of MS-OXRTFCP section 3.1
	cases := []struct{ hex, want string }{
		{"2d0000002b0000004c5a4675f1c5c7a703000a007263706731323542320af32068656c090020627705b06c647d0a800fa0",
			"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"},
		{"1a0000001c0000004c5a4675e2d44b51410004205758595a0d6e7d010eb0", "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}"},
	}
	for _, c := range cases {
		in, _ := hex.DecodeString(c.hex)
		out, trunc, err := decompressRTF(in, 1<<20)
		if err != nil || trunc || string(out) != c.want {
			t.Errorf("decompressRTF = %q %v %v, väntade %q", out, trunc, err, c.want)
		}
	}
}

func TestRTFRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 30; i++ {
		n := r.Intn(3000)
		raw := make([]byte, n)
		alphabet := []byte(`{\rtf1\ansi par abcdef }` + "\r\n")
		for j := range raw {
			raw[j] = alphabet[r.Intn(len(alphabet))]
		}
		out, trunc, err := decompressRTF(compressRTFForTest(raw), 1<<20)
		if err != nil || trunc || string(out) != string(raw) {
			t.Fatalf("runda %d: %v %v, %d byte av %d", i, err, trunc, len(out), len(raw))
		}
	}
	// the output limit holds whatever the header says
	big := compressRTFForTest([]byte(strings.Repeat("a", 5000)))
	if _, _, err := decompressRTF(big, 1000); err == nil {
		t.Error("ingen gräns")
	}
	// uncompressed form, and truncated input
	mela := append([]byte{5, 0, 0, 0, 5, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0}, "{\\rtf}"...)
	if out, _, err := decompressRTF(mela, 100); err != nil || string(out) != "{\\rtf" {
		t.Errorf("MELA: %q %v", out, err)
	}
	c := compressRTFForTest([]byte("{\\rtf1 hej hej hej}"))
	if _, trunc, err := decompressRTF(c[:len(c)-3], 100); err != nil || !trunc {
		t.Errorf("avkortad: %v %v", trunc, err)
	}
}

func TestRTFToText(t *testing.T) {
	r := rtfToText([]byte(`{\rtf1\ansi\ansicpg1250{\fonttbl{\f0 Arial;}}{\*\unknown dolt}\uc1 \'8a\'9a \u-3913? {\field{\*\fldinst HYPERLINK "x"}{\fldrslt l\u228\'e4nk}}\line a\{b\}\\\par}`), 1000)
	if r.text != "Šš \uF0B7 länk\na{b}\\\n" {
		t.Errorf("%q", r.text)
	}
}
