package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"utlamnande/processor/internal/history"
)

// runLog prints the commits history.FolderCommits lists for a folder, one hash a line.
func runLog(args []string) error {
	fl := flag.NewFlagSet("benchrepo log", flag.ContinueOnError)
	rev := fl.String("rev", "HEAD", "revision to start from")
	verbose := fl.Bool("v", false, "print the time taken to stderr")
	cpuprofile := fl.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 2 {
		fmt.Fprintln(fl.Output(), "användning: benchrepo log [-rev REV] [-v] MAPP ÄRENDEMAPP")
		return flag.ErrHelp
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	repo, err := history.Open(fl.Arg(0))
	if err != nil {
		return err
	}
	defer repo.Close()
	commits, err := repo.FolderCommits(*rev, fl.Arg(1))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	for _, c := range commits {
		fmt.Fprintln(w, c.Hash)
	}
	if *verbose {
		fmt.Fprintf(os.Stderr, "%d incheckningar på %.3f s\n", len(commits), time.Since(start).Seconds())
	}
	return w.Flush()
}
