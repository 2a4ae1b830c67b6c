package provision

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// The generator builds synthetic source and target snapshots and states
// for the property tests and the benchmarks. It fills Snapshot.Attributes
// and Object.Values directly and shares the values of small pools
// (departments, cities, ...) between objects, as real directories do, so
// that a million users fit in memory.

// benchMappings is the 20-mapping rule of the benchmarks: target
// attribute, expression, matching priority, flow type.
var benchMappings = [][4]string{
	{"userName", "[userPrincipalName]", "1", ""},
	{"externalId", "[mailNickname]", "2", ""},
	{"active", `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, "", ""},
	{"displayName", "[displayName]", "", ""},
	{"name.givenName", "[givenName]", "", ""},
	{"name.familyName", "[surname]", "", ""},
	{`emails[type eq "work"].value`, "[mail]", "", ""},
	{"title", "[jobTitle]", "", ""},
	{"department", "IgnoreFlowIfNullOrEmpty([department])", "", ""},
	{`addresses[type eq "work"].locality`, "[city]", "", ""},
	{`addresses[type eq "work"].country`, "[country]", "", ""},
	{"employeeNumber", "[employeeId]", "", ""},
	{"organization", "[companyName]", "", ""},
	{`phoneNumbers[type eq "mobile"].value`, "[mobile]", "", ""},
	{"physicalDeliveryOfficeName", "[physicalDeliveryOfficeName]", "", ""},
	{`addresses[type eq "work"].postalCode`, "[postalCode]", "", ""},
	{`addresses[type eq "work"].region`, "[state]", "", ""},
	{`addresses[type eq "work"].streetAddress`, "[streetAddress]", "", "ObjectAddOnly"},
	{"preferredLanguage", `Switch([country], "en-US", "Germany", "de-DE", "France", "fr-FR")`, "", ""},
	{"nickName", `ToLower(Join(".", [givenName], [surname]))`, "", ""},
}

// ruleJSON builds an objectMapping document from mapping rows, with a
// target directory definition so caseExact applies.
func ruleJSON(rows [][4]string, flowTypes string, scope string) string {
	var b strings.Builder
	b.WriteString(`{"directories": [{"name": "AAD", "objects": [{"name": "User", "attributes": []}]}, {"name": "App", "objects": [{"name": "User", "attributes": [`)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		caseExact := r[0] == "externalId"
		multi := r[0] == "proxyAddresses"
		fmt.Fprintf(&b, `{"name": %q, "type": "String", "caseExact": %t, "multivalued": %t}`, r[0], caseExact, multi)
	}
	b.WriteString(`]}]}], "synchronizationRules": [{"name": "bench", "sourceDirectoryName": "AAD", "targetDirectoryName": "App", "objectMappings": [`)
	fmt.Fprintf(&b, `{"name": "Users", "enabled": true, "flowTypes": %q, "sourceObjectName": "User", "targetObjectName": "User", "scope": %s, "attributeMappings": [`, flowTypes, scope)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		prio := r[2]
		if prio == "" {
			prio = "0"
		}
		src := "null"
		if r[1] != "" {
			src = fmt.Sprintf(`{"expression": %q}`, r[1])
		}
		fmt.Fprintf(&b, `{"targetAttributeName": %q, "matchingPriority": %s, "flowType": %q, "defaultValue": %q, "source": %s}`, r[0], prio, r[3], defaultFor(r[0]), src)
	}
	b.WriteString(`]}]}]}`)
	return b.String()
}

func defaultFor(attr string) string {
	if attr == "preferredLanguage" || attr == "organization" {
		return "Contoso"
	}
	return ""
}

func compileRule(tb testing.TB, doc string) *mapping.CompiledObjectMapping {
	tb.Helper()
	s, err := mapping.Decode([]byte(doc))
	if err != nil {
		tb.Fatal(err)
	}
	c, err := s.Compile("", "")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sourceAttrs are the source attributes the generator fills.
var sourceAttrs = []string{"objectId", "userPrincipalName", "mailNickname", "displayName", "givenName", "surname", "mail",
	"jobTitle", "department", "city", "country", "employeeId", "companyName", "mobile", "physicalDeliveryOfficeName",
	"postalCode", "state", "streetAddress", "accountEnabled", "proxyAddresses"}

// pool is a set of boxed values shared between objects.
type pool []expr.Value

func newPool(words ...string) pool {
	p := make(pool, len(words))
	for i, w := range words {
		if w != "" {
			p[i] = expr.String(w)
		}
	}
	return p
}

var (
	poolGiven   = newPool("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Gina", "Hal", "Ivan", "Judy", "Zoë", "José", "Björn", "Ann Marie")
	poolSurname = newPool("Wong", "Kumar", "Diaz", "Olsen", "Novak", "Moss", "Lee", "Berg", "Petrov", "Smith", "O'Neil", "Müller")
	poolTitle   = newPool("Engineer", "Sales Manager", "Account Executive", "Director", "Analyst", "")
	poolDept    = newPool("Sales", "Marketing", "Engineering", "Finance", "HR", "")
	poolCity    = newPool("Seattle", "Berlin", "Paris", "Dublin", "Madrid", "Stockholm")
	poolCountry = newPool("United States", "Germany", "France", "Ireland", "Spain", "Sweden")
	poolCompany = newPool("Contoso", "Fabrikam", "")
	poolOffice  = newPool("B1/101", "B2/220", "HQ", "Remote")
	poolPostal  = newPool("98052", "10115", "75001", "D02", "28001")
	poolState   = newPool("WA", "BE", "IDF", "", "MD")
	poolStreet  = newPool("1 Microsoft Way", "Unter den Linden 1", "1 Rue de Rivoli", "1 Grand Canal")
	boolTrue    = expr.Value(expr.Bool(true))
)

func pick(r *rand.Rand, p pool) expr.Value { return p[r.IntN(len(p))] }

// genUser fills the values of source user n.
func genUser(r *rand.Rand, n int, vals []expr.Value) {
	given, sur := pick(r, poolGiven), pick(r, poolSurname)
	nick := fmt.Sprintf("user%07d", n)
	upn := nick + "@contoso.com"
	vals[0] = expr.String(fmt.Sprintf("%08x-0000-4000-8000-%012d", n, n))
	vals[1] = expr.String(upn)
	vals[2] = expr.String(nick)
	vals[3] = expr.String(expr.Render(given) + " " + expr.Render(sur))
	vals[4], vals[5] = given, sur
	vals[6] = vals[1]
	vals[7], vals[8], vals[9], vals[10] = pick(r, poolTitle), pick(r, poolDept), pick(r, poolCity), pick(r, poolCountry)
	vals[11] = expr.String(fmt.Sprintf("E%06d", n))
	vals[12] = pick(r, poolCompany)
	if r.IntN(3) > 0 {
		vals[13] = expr.String(fmt.Sprintf("+1 555 %07d", n))
	}
	vals[14], vals[15], vals[16], vals[17] = pick(r, poolOffice), pick(r, poolPostal), pick(r, poolState), pick(r, poolStreet)
	vals[18] = boolTrue
}

// world is one generated cycle.
type world struct {
	rules          []*mapping.CompiledObjectMapping
	source, target *Snapshot
	state          *State
}

// benchWorld builds an incremental cycle over n users: 90% linked (5% of
// them with drifted attributes), 5% new, 3% unassigned, 2% hard-deleted,
// plus unrelated target objects.
func benchWorld(tb testing.TB, n int) *world {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	w := &world{rules: []*mapping.CompiledObjectMapping{compileRule(tb, ruleJSON(benchMappings, "Add, Update, Delete", "null"))}}
	w.source = &Snapshot{Attributes: sourceAttrs, Objects: make([]Object, 0, n)}
	tattrs := make([]string, len(benchMappings))
	for i, m := range benchMappings {
		tattrs[i] = m[0]
	}
	w.target = &Snapshot{Attributes: tattrs, Objects: make([]Object, 0, n)}
	w.state = &State{Links: make([]Link, 0, n)}
	env := &objEnv{ix: w.source.index()}
	slab := make([]expr.Value, 0, 4096*len(sourceAttrs))
	tslab := make([]expr.Value, 0, 4096*len(tattrs))
	for i := range n {
		if len(slab) == cap(slab) {
			slab = make([]expr.Value, 0, 4096*len(sourceAttrs))
			tslab = make([]expr.Value, 0, 4096*len(tattrs))
		}
		vals := slab[len(slab) : len(slab)+len(sourceAttrs) : len(slab)+len(sourceAttrs)]
		slab = slab[:len(slab)+len(sourceAttrs)]
		genUser(r, i, vals)
		o := Object{ID: expr.Render(vals[0]), Values: vals}
		kind := r.IntN(100)
		if kind >= 98 { // hard-deleted: linked, provisioned, gone from the source
			tid := fmt.Sprintf("t%07d", i)
			w.state.Links = append(w.state.Links, Link{Source: o.ID, Target: tid, Provisioned: true})
			w.target.Objects = append(w.target.Objects, Object{ID: tid, Values: []expr.Value{expr.String("gone" + o.ID)}})
			continue
		}
		if kind >= 95 { // unassigned since the last cycle
			o.Unassigned = true
		}
		w.source.Objects = append(w.source.Objects, o)
		if kind >= 90 && kind < 95 {
			continue // new: no target, no link
		}
		// Provisioned: the target holds what the mapping gives, drifted
		// for 5% of them.
		env.o = &w.source.Objects[len(w.source.Objects)-1]
		t, err := w.rules[0].Apply(env, mapping.ApplyOptions{OnCreate: true})
		if err != nil {
			tb.Fatal(err)
		}
		tv := tslab[len(tslab) : len(tslab)+len(tattrs) : len(tslab)+len(tattrs)]
		tslab = tslab[:len(tslab)+len(tattrs)]
		for _, ex := range t.Explain {
			if ex.Outcome == mapping.Flowed {
				tv[w.target.index().pos(ex.Target)] = ex.Value
			}
		}
		if r.IntN(20) == 0 {
			tv[7] = expr.String("Drifted title")
		}
		tid := fmt.Sprintf("t%07d", i)
		w.target.Objects = append(w.target.Objects, Object{ID: tid, Values: tv})
		w.state.Links = append(w.state.Links, Link{Source: o.ID, Target: tid, Provisioned: true})
	}
	for i := range n / 100 { // objects this engine never linked
		w.target.Objects = append(w.target.Objects, Object{ID: fmt.Sprintf("x%07d", i), Values: []expr.Value{expr.String(fmt.Sprintf("svc%d@contoso.com", i))}})
	}
	sortLinks(w.state.Links)
	return w
}

func mappingCreate() mapping.ApplyOptions { return mapping.ApplyOptions{OnCreate: true} }

// diff plans the world.
func (w *world) diff(opts Options) (*Plan, *State, error) {
	return planOnce(w.rules, w.source, w.target, w.state, opts)
}
