package provision

import (
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// B2B collaboration users. Their userPrincipalName is
// alias_theirdomain#EXT#@yourdomain; the provisioning service strips "#EXT#
// and your domain ... so only their original alias@theirdomain is used for
// matching or provisioning", and offers the full name as
// originalUserPrincipalName (how-provisioning-works, the note on B2B
// users). A source object's env applies both rules, so every expression,
// matching attributes and scoping filters included, sees the stripped name.

const (
	upnAttr         = "userPrincipalName"
	originalUPNAttr = "originalUserPrincipalName"
	extMarker       = "#EXT#@"
)

// guestUPN returns alias@theirdomain for a B2B guest's user principal name
// alias_theirdomain#EXT#@yourdomain: the marker and the home domain go, and
// the last underscore (which stood for the @ of the e-mail address, since a
// domain name has no underscore) becomes @ again. ok is false for any other
// name, which is left alone.
func guestUPN(upn string) (string, bool) {
	if strings.IndexByte(upn, '#') < 0 {
		return "", false // no marker, and upper-casing makes no '#'
	}
	i := strings.Index(strings.ToUpper(upn), extMarker)
	if i <= 0 {
		return "", false
	}
	alias := upn[:i]
	j := strings.LastIndexByte(alias, '_')
	if j <= 0 || j == len(alias)-1 {
		return "", false // not an e-mail address turned into a name
	}
	return alias[:j] + "@" + alias[j+1:], true
}

// lookupUPN answers userPrincipalName (stripped for a guest) and
// originalUserPrincipalName (the object's own value, else its full user
// principal name). handled is false for every other name.
func (env *objEnv) lookupUPN(name string) (v expr.Value, ok, handled bool) {
	switch {
	case len(name) == len(upnAttr) && strings.EqualFold(name, upnAttr):
		v, ok = valueAt(env.o, env.ix.pos(name))
		if s, isStr := v.(expr.String); isStr {
			if g, guest := guestUPN(string(s)); guest {
				return expr.String(g), true, true
			}
		}
		return v, ok, true
	case len(name) == len(originalUPNAttr) && strings.EqualFold(name, originalUPNAttr):
		if v, ok = valueAt(env.o, env.ix.pos(name)); ok {
			return v, ok, true
		}
		v, ok = valueAt(env.o, env.ix.pos(upnAttr))
		return v, ok, true
	}
	return nil, false, false
}
