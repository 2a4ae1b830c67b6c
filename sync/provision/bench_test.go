package provision

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/attrmap/attrmap/expr"
)

// BenchmarkDiff plans an incremental cycle of a 20-mapping rule over n
// source users and about as many target users (see benchWorld). The 1M
// case runs only with -bench and not under -short:
//
//	go test ./sync/provision -run '^$' -bench 'Diff/1M' -benchtime 1x -benchmem
func BenchmarkDiff(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			if c.n >= 1_000_000 && testing.Short() {
				b.Skip("1M users: not under -short")
			}
			w := benchWorld(b, c.n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p, _, err := w.diff(Options{})
				if err != nil {
					b.Fatal(err)
				}
				if p.Stats.Create == 0 || p.Stats.Update == 0 || p.Stats.Disable == 0 || p.Stats.Delete == 0 {
					b.Fatalf("the generated cycle should hold every kind of operation: %s", p.Summary())
				}
			}
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}

// BenchmarkDiffRules plans users and groups together (refsSchema): n
// users with a manager each and a SelectUniqueValue user name, 90% of
// them provisioned, and n/100 groups of 100 members, 90% provisioned with
// a few members drifted. It measures reference resolution, membership set
// changes and the in-plan uniqueness claims on top of BenchmarkDiff's
// work.
func BenchmarkDiffRules(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}} {
		b.Run(c.name, func(b *testing.B) {
			w := benchRefWorld(b, c.n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p, _, err := w.diff(Options{})
				if err != nil {
					b.Fatal(err)
				}
				if p.Stats.Create == 0 || p.Stats.Update == 0 {
					b.Fatalf("the generated cycle should create and update: %s", p.Summary())
				}
			}
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}

func benchRefWorld(tb testing.TB, n int) *world {
	r := rand.New(rand.NewPCG(2, uint64(n)))
	w := &world{rules: compileRules(tb, refsSchema("Add, Update, Delete", "")), source: &Snapshot{}, target: &Snapshot{}, state: &State{}}
	w.source.Attributes = []string{"employeeId", "nick", "manager", "displayName", "members"}
	w.target.Attributes = []string{"externalId", "userName", "active", "manager", "displayName", "members"}
	uid := func(i int) string { return fmt.Sprintf("u%07d", i) }
	active := expr.String("True")
	for i := range n {
		id := uid(i)
		mgr := expr.String(uid(r.IntN(n)))
		w.source.Objects = append(w.source.Objects, Object{ID: id, Type: "User", Values: []expr.Value{expr.String("E" + id), expr.String(id), mgr}})
		if r.IntN(10) == 0 {
			continue // new
		}
		tid := "t" + id
		tmgr := expr.Value(expr.String("t" + string(mgr)))
		if r.IntN(20) == 0 {
			tmgr = nil // manager not set yet
		}
		w.target.Objects = append(w.target.Objects, Object{ID: tid, Type: "User", Values: []expr.Value{expr.String("E" + id), expr.String(id + "@contoso.com"), active, tmgr}})
		w.state.Links = append(w.state.Links, Link{Type: "User", Source: id, Target: tid, Provisioned: true})
	}
	for g := range n / 100 {
		id := fmt.Sprintf("g%05d", g)
		members := make(expr.Multi, 100)
		tm := make(expr.Multi, 0, 100)
		for k := range members {
			members[k] = uid(r.IntN(n))
			if r.IntN(50) > 0 {
				tm = append(tm, "t"+members[k])
			}
		}
		name := expr.String("Group " + id)
		w.source.Objects = append(w.source.Objects, Object{ID: id, Type: "Group", Values: []expr.Value{nil, nil, nil, name, members}})
		if r.IntN(10) == 0 {
			continue
		}
		tid := "t" + id
		w.target.Objects = append(w.target.Objects, Object{ID: tid, Type: "Group", Values: []expr.Value{nil, nil, nil, nil, name, tm}})
		w.state.Links = append(w.state.Links, Link{Type: "Group", Source: id, Target: tid, Provisioned: true})
	}
	sortLinks(w.state.Links)
	return w
}
