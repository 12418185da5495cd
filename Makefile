# Ärendekatalog för utlämnande av e-mail och e-mailloggar.
# make demo   bygger programmet och kör det på exempelärendet i cases/
# make test   kör alla tester

GO      ?= go
COMMIT  ?= $(shell git describe --always --dirty 2>/dev/null || echo okänd)
LDFLAGS := -X main.commit=$(COMMIT)
BIN     := bin/processor
DEMO    := cases/2026-0001
FUZZTIME ?= 20s

.PHONY: all build demo test verify bench fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./processor

demo: build
	@echo "== Skapar exempelärendets råexport (påhittad, checkas aldrig in): $(DEMO)/raw/"
	$(GO) run ./processor/scripts/demoexport $(DEMO)/raw/meddelandesparning.csv
	@echo "== Importerar råexporten (redan importerad: granskningsboken behålls, SHA-256 kontrolleras)"
	$(BIN) import --av reg1 $(DEMO)
	@echo "== Kontrollerar exempelärendet, med maskbeviset mot råexporten"
	$(BIN) validate $(DEMO)
	@echo "== Kontrollerar alla ärenden i cases/"
	$(BIN) validate
	@echo "== Bygger utlämnande-pdf:en (byggs bara om när något har ändrats)"
	$(BIN) build $(DEMO)
	@echo "   Titta på den: $(DEMO)/utlamnande/2026-0001-utlamnande.pdf (eller pdftoppm -png den)"
	@echo "== Status: senaste och nästa steg"
	$(BIN) status $(DEMO)
	@echo "== Revisionsloggen ur git-historiken: $(BIN) audit 2026-0001"
	@echo "== Klart. Reglerna: $(BIN) rules. Nytt ärende: $(BIN) new e-postlogg"
	@echo "   Låt git kontrollera varje incheckning: $(BIN) hook install"
	@echo "   Håll ärendena kontrollerade och pdf:erna aktuella medan du arbetar: $(BIN) watch (Ctrl-C avslutar)"

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
	./processor/scripts/bench-validate.sh 10000
	./processor/scripts/bench-build.sh 10000 100000
	./processor/scripts/bench-hook.sh 10000 20000
	./processor/scripts/bench-audit.sh 20000 2000
	./processor/scripts/bench-watch.sh

# Each fuzz target of the parsers of user input, FUZZTIME each.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./processor/internal/provision
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./processor/internal/casefile
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./processor/internal/validate
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzDerive$$' -fuzztime $(FUZZTIME) ./processor/internal/mask
	$(GO) test -run '^$$' -fuzz '^FuzzFind$$' -fuzztime $(FUZZTIME) ./processor/internal/sensitive
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./processor/internal/export
	$(GO) test -run '^$$' -fuzz '^FuzzParseRaw$$' -fuzztime $(FUZZTIME) ./processor/internal/gitcli

clean:
	rm -rf bin
