package exposure

import (
	"fmt"
	"sort"
	"strings"
)

// policyGrant is what one policy lets everyone do in one request context,
// with the reasons that explain it.
type policyGrant struct {
	allowed actionSet
	notes   []string
}

// evaluatePolicy applies AWS's meaning of "public" to a policy: an Allow to
// everyone counts unless a fixed value of a restricting key confines it
// (condition keys in one statement are ANDed, so one such key is enough);
// a Deny to everyone that certainly applies to anonymous requests takes its
// actions away again.
func evaluatePolicy(p Policy, ctx requestContext, label string) policyGrant {
	g := policyGrant{allowed: actionSet{}}
	for i, s := range p.Statements {
		if s.Effect == "Allow" {
			g.allow(s, statementName(label, i, s), ctx)
		}
	}
	for i, s := range p.Statements {
		if s.Effect == "Deny" {
			g.deny(s, statementName(label, i, s), ctx)
		}
	}
	return g
}

func statementName(label string, i int, s Statement) string {
	name := fmt.Sprintf("%s statement %d", label, i+1)
	if s.Sid != "" {
		name += fmt.Sprintf(" (%s)", s.Sid)
	}
	return name
}

func (g *policyGrant) allow(s Statement, name string, ctx requestContext) {
	who, everyone := allowedToEveryone(s)
	if !everyone {
		return
	}
	acts := statementActions(s)
	if len(acts) == 0 {
		return
	}
	var open []string
	for _, c := range s.Conditions {
		state, note := c.holds(ctx)
		if state == no {
			g.notes = append(g.notes, fmt.Sprintf("%s allows %s to %s only where %s",
				name, actionWords(s), who, note))
			return
		}
		if state == unknown {
			open = append(open, note)
		}
	}
	g.allowed.union(acts)
	if len(open) == 0 {
		g.notes = append(g.notes, fmt.Sprintf("%s allows %s to %s with no restricting condition",
			name, actionWords(s), who))
		return
	}
	g.notes = append(g.notes, fmt.Sprintf(
		"%s allows %s to %s; its conditions do not confine it (%s)",
		name, actionWords(s), who, strings.Join(open, "; ")))
}

// deny subtracts a Deny's actions when it reaches every anonymous request:
// its principal covers everyone and each of its conditions holds for a
// generic caller (a negated test of a fixed restricting value confines what
// is left to that value).
func (g *policyGrant) deny(s Statement, name string, ctx requestContext) {
	if !deniedToEveryone(s) {
		return
	}
	for _, c := range s.Conditions {
		if state, _ := c.holds(ctx); state != yes {
			return
		}
	}
	removed := g.allowed.removeCovered(s)
	if len(removed) > 0 {
		g.notes = append(g.notes, fmt.Sprintf(
			"%s denies %s to everyone outside what its conditions allow",
			name, strings.Join(removed.sorted(), ", ")))
	}
}

// allowedToEveryone reports whether an Allow reaches anonymous callers: a
// wildcard principal, or NotPrincipal, which allows everyone not listed.
func allowedToEveryone(s Statement) (string, bool) {
	if s.NotPrincipal != nil {
		return "everyone except " + principalWords(s.NotPrincipal), true
	}
	if wildcardPrincipal(s.Principal) {
		return "*", true
	}
	return "", false
}

func deniedToEveryone(s Statement) bool {
	return s.NotPrincipal != nil || wildcardPrincipal(s.Principal)
}

// wildcardPrincipal reports whether a principal is not a fixed identity:
// "*", {"AWS": "*"}, or any identifier with a wildcard in it.
func wildcardPrincipal(p *Principal) bool {
	if p == nil {
		return false
	}
	if p.Star {
		return true
	}
	for _, ids := range p.IDs {
		for _, id := range ids {
			if strings.ContainsAny(id, "*?") {
				return true
			}
		}
	}
	return false
}

func principalWords(p *Principal) string {
	if p.Star {
		return "*"
	}
	var ids []string
	for _, v := range p.IDs {
		ids = append(ids, v...)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

func actionWords(s Statement) string {
	if s.NotAction != nil {
		return "every action except " + strings.Join(s.NotAction, ", ")
	}
	return strings.Join(s.Action, ", ")
}
