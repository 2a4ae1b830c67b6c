package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/internal/golden"
	"github.com/google/go-cmp/cmp"
)

// transcriptDir holds the REPL transcripts: lines starting with "> " (or
// ".. " for the continuation of a multi-line entry) are typed at the
// prompt, the lines below them are the expected output. Lines starting
// with "#" before the first entry describe the file.
const transcriptDir = "../../testdata/cli/repl"

// testNow is the frozen clock of every transcript.
var testNow = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)

// zeroReader is a reproducible random source: Guid and RandomString
// become constant.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// newTestSession returns the session the transcripts run against.
func newTestSession() *Session {
	return New(WithNow(testNow), WithDir(transcriptDir), WithRand(zeroReader{}))
}

// TestTranscripts replays every transcript against a fresh Session and
// compares the output; -update rewrites the files.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(transcriptDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", transcriptDir, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			header, inputs := parseTranscript(string(data))
			got := header + replay(t, newTestSession(), inputs)
			if golden.Updating() {
				if got != string(data) {
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			if diff := cmp.Diff(string(data), got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s\nrun the tests with -update if the change is intended", file, diff)
			}
		})
	}
}

// parseTranscript returns the header comment and the typed lines.
func parseTranscript(s string) (header string, inputs []string) {
	lines := strings.SplitAfter(s, "\n")
	var h strings.Builder
	started := false
	for _, l := range lines {
		text := strings.TrimRight(l, "\n")
		switch {
		case strings.HasPrefix(text, PromptReady), strings.HasPrefix(text, PromptMore):
			started = true
			prompt := PromptReady
			if strings.HasPrefix(text, PromptMore) {
				prompt = PromptMore
			}
			inputs = append(inputs, strings.TrimPrefix(text, prompt))
		case text == ">" || text == "..":
			started = true
			inputs = append(inputs, "")
		case !started:
			h.WriteString(l)
		}
	}
	return h.String(), inputs
}

// replay types the inputs and records prompts, inputs and outputs.
func replay(t *testing.T, s *Session, inputs []string) string {
	var b bytes.Buffer
	for _, in := range inputs {
		b.WriteString(strings.TrimRight(s.Prompt()+in, " "))
		b.WriteByte('\n')
		out, quit, err := s.Process(in)
		if out != "" {
			b.WriteString(out)
			b.WriteByte('\n')
		}
		if err != nil {
			b.WriteString(ErrorText(err))
			b.WriteByte('\n')
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, PromptReady) || strings.HasPrefix(l, PromptMore) {
				t.Errorf("output line %q looks like input; the transcript could not be read back", l)
			}
		}
		if quit {
			b.WriteString("(quit)\n")
		}
	}
	return b.String()
}
