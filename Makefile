# Ärendekatalog för utlämnande av e-mail och e-mailloggar.
# make demo   bygger programmet och kör det på exempelärendet i cases/
# make test   kör alla tester

GO      ?= go
COMMIT  ?= $(shell git describe --always --dirty 2>/dev/null || echo okänd)
LDFLAGS := -X main.commit=$(COMMIT)
BIN     := bin/processor
DEMO    := cases/2026-0001
DEMO2   := cases/2026-0002
DEMO3   := cases/2026-0003
FUZZTIME ?= 20s

.PHONY: all build demo test verify bench fuzz clean

all: build

build:
	@echo "== Bygger $(BIN) (första gången hämtar Go modulerna, det kan ta någon minut)"
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./processor

demo: build
	@echo "== Exempelärendena: 2026-0001 (e-postlogg, utlämnad), 2026-0002 (e-postlogg, väntar på granskarens godkännande), 2026-0003 (e-postmeddelanden ur loggen i 2026-0001, utlämnade)"
	@echo "== Skapar råexporterna (påhittade) i ärendenas arbetsytor, som git aldrig checkar in"
	$(GO) run ./processor/scripts/demoexport $(DEMO)/arbetsyta/export/meddelandesparning.csv
	$(GO) run ./processor/scripts/demoexport $(DEMO2)/arbetsyta/export/meddelandesparning.csv
	@echo "== 2026-0001: den utlämnade granskningsboken (utlamnande/) prövas mot råexporten"
	$(BIN) validate $(DEMO)
	@echo "== 2026-0001: det utlämnade byggs aldrig om (pdf:en i git är den som lämnades ut)"
	$(BIN) build $(DEMO)
	@echo "   Titta på den: $(DEMO)/utlamnande/2026-0001-utlamnande.pdf (eller pdftoppm -png den)"
	@echo "== 2026-0003 (e-postmeddelanden ur loggen i 2026-0001, utlämnat): påhittade e-postmeddelanden (.eml och .msg) i arbetsytans export/"
	$(GO) run ./processor/scripts/demomail $(DEMO3)/arbetsyta/export 1 3 4
	@echo "== 2026-0003: de utlämnade, maskade texterna (utlamnande/e-post/) prövas mot e-postmeddelandena"
	$(BIN) validate $(DEMO3)
	$(BIN) build $(DEMO3)
	@echo "   Titta på den: $(DEMO3)/utlamnande/2026-0003-utlamnande.pdf (följebrev, meddelande 1 och 4, nr 3 lämnas inte ut)"
	@echo "== 2026-0002: importerar råexporten till granskningsboken i arbetsytan"
	$(BIN) import --av reg1 $(DEMO2)
	@echo "== 2026-0002: registratorn markerar P och maskar (som i Excel)"
	$(GO) run ./processor/scripts/demomask $(DEMO2)/arbetsyta/e-postlogg.xlsx
	@echo "== 2026-0002: kontrollerar maskningen mot råexporten (väntar på godkännande: en varning)"
	$(BIN) validate $(DEMO2)
	@echo "== 2026-0002: granskningsrapporten för granskaren (i arbetsytan, aldrig i git)"
	$(BIN) granska $(DEMO2)
	@echo "== Alla ärenden i cases/"
	$(BIN) validate
	@echo "== Status: senaste och nästa steg"
	$(BIN) status
	@echo "== Klart. Granskaren läser $(DEMO2)/arbetsyta/granskning.html och godkänner: $(BIN) godkänn --av jur1 2026-0002"
	@echo "   Revisionsloggen ur git-historiken: $(BIN) audit 2026-0001. Reglerna: $(BIN) rules. Nytt ärende: $(BIN) new e-postlogg"
	@echo "   Låt git kontrollera varje incheckning: $(BIN) hook install"
	@echo "   Håll ärendena kontrollerade medan du arbetar: $(BIN) watch (Ctrl-C avslutar)"

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# The git rules over every commit since the one in .ci/verify-since (the commits before it
# were made before the rules existed), PDFs rebuilt byte for byte. CI runs it.
verify: build
	$(BIN) verify --since $$(cat .ci/verify-since)

# Benchmarks: validate on 10,000 generated cases, build of 10,000 and 100,000 rows beside
# soffice, the pre-commit hook in a 10,000-case repository, audit of one case in a
# 20,000-commit repository beside git log, a saved workbook to a new PDF under processor
# watch beside soffice (figures in README.md, Prestanda).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./processor/internal/validate
	$(GO) test -run '^$$' -bench Report10000 -benchmem -benchtime 3x ./processor/internal/report
	./processor/scripts/bench-validate.sh 10000
	./processor/scripts/bench-build.sh 10000 100000
	./processor/scripts/bench-hook.sh 10000 20000
	./processor/scripts/bench-audit.sh 20000 2000
	./processor/scripts/bench-watch.sh
	./processor/scripts/bench-bombs.sh
	./processor/scripts/bench-mail.sh 1000

# Each fuzz target of the parsers of user input, FUZZTIME each.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./processor/internal/provision
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./processor/internal/casefile
	$(GO) test -run '^$$' -fuzz '^FuzzSetStepKey$$' -fuzztime $(FUZZTIME) ./processor/internal/casefile
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./processor/internal/validate
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzDerive$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzEscape$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzProveText$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzFind$$' -fuzztime $(FUZZTIME) ./processor/internal/sensitive
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzScanXML$$' -fuzztime $(FUZZTIME) ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzReadXLSXParts$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzPrintable$$' -fuzztime $(FUZZTIME) ./processor/internal/finding
	$(GO) test -run '^$$' -fuzz '^FuzzParseRaw$$' -fuzztime $(FUZZTIME) ./processor/internal/gitcli
	$(GO) test -run '^$$' -fuzz '^FuzzParseSSHKey$$' -fuzztime $(FUZZTIME) ./processor/internal/gitcli
	$(GO) test -run '^$$' -fuzz '^FuzzSpanIndex$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzFold$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzLeaks$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzReadSheet$$' -fuzztime $(FUZZTIME) ./processor/internal/workbook
	$(GO) test -run '^$$' -fuzz '^FuzzReadSheetGenerated$$' -fuzztime $(FUZZTIME) ./processor/internal/workbook
	$(GO) test -run '^$$' -fuzz '^FuzzPartTexts$$' -fuzztime $(FUZZTIME) ./processor/internal/workbook
	$(GO) test -run '^$$' -fuzz '^FuzzReadEML$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./processor/internal/mailfile
	$(GO) test -run '^$$' -fuzz '^FuzzReadMSG$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./processor/internal/mailfile
	$(GO) test -run '^$$' -fuzz '^FuzzRTF$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./processor/internal/mailfile

clean:
	rm -rf bin
