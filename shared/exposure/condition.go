package exposure

import (
	"fmt"
	"net/netip"
	"strings"
)

// restrictingKeys are the condition keys whose fixed values confine a grant
// to known parties, the list AWS uses to decide that a policy is not public.
var restrictingKeys = map[string]bool{
	"aws:sourcevpce": true, "aws:sourcevpc": true, "aws:sourcearn": true,
	"aws:sourceaccount": true, "aws:sourceowner": true, "aws:principalorgid": true,
	"aws:principalaccount": true, "aws:principalarn": true, "aws:userid": true,
	"aws:sourceip": true, "s3:dataaccesspointaccount": true, "s3:dataaccesspointarn": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
}

var positiveOps = map[string]bool{
	"stringequals": true, "stringequalsignorecase": true, "stringlike": true,
	"arnequals": true, "arnlike": true, "ipaddress": true,
}

var negatedOps = map[string]bool{
	"stringnotequals": true, "stringnotequalsignorecase": true, "stringnotlike": true,
	"arnnotequals": true, "arnnotlike": true, "notipaddress": true,
}

// requestContext is the kind of anonymous request being judged: straight to
// the bucket, or through one of its access points.
type requestContext struct {
	viaAccessPoint bool
	account        string // the bucket owner's account, "" when unknown
	apName         string // "" means an access point whose name is unknown
}

// operator splits a condition operator into its base test and modifiers.
type operator struct {
	base      string
	ifExists  bool
	setPrefix string // "foranyvalue", "forallvalues" or ""
}

func parseOperator(op string) operator {
	o := strings.ToLower(op)
	var out operator
	for _, p := range []string{"foranyvalue:", "forallvalues:"} {
		if rest, ok := strings.CutPrefix(o, p); ok {
			out.setPrefix = strings.TrimSuffix(p, ":")
			o = rest
		}
	}
	out.base, out.ifExists = strings.CutSuffix(o, "ifexists")
	return out
}

// holds says whether the condition is true for a generic anonymous request,
// one that comes from no fixed VPC, account, organisation or narrow address
// range: yes, no, or unknown when it may or may not be. The note explains
// the answer for reasons.
func (c Condition) holds(ctx requestContext) (tri, string) {
	key := strings.ToLower(c.Key)
	op := parseOperator(c.Operator)
	desc := fmt.Sprintf("%s %s %s", c.Operator, c.Key, strings.Join(c.Values, ","))
	if !restrictingKeys[key] {
		return unknown, desc + " does not restrict who may call"
	}
	positive, negated := positiveOps[op.base], negatedOps[op.base]
	if !positive && !negated {
		return unknown, desc + " is not a matching test of the key"
	}
	if key == "s3:dataaccesspointaccount" || key == "s3:dataaccesspointarn" {
		return c.holdsAccessPoint(ctx, key, op, positive, desc)
	}
	if ok, why := fixedValues(key, c.Values); !ok {
		return unknown, desc + ": " + why
	}
	return fixedOutcome(op, positive, desc)
}

// fixedOutcome judges a restricting key tested against fixed values. A
// positive test confines the grant unless IfExists or ForAllValues lets a
// request without the key through; a negated test holds for everyone
// outside the fixed set.
func fixedOutcome(op operator, positive bool, desc string) (tri, string) {
	if positive {
		if op.ifExists || op.setPrefix == "forallvalues" {
			return unknown, desc + " lets requests without the key through"
		}
		return no, desc
	}
	if op.setPrefix != "" {
		return unknown, desc + " is a set test that may not hold"
	}
	return yes, desc
}

// holdsAccessPoint judges the access point keys. A request through an
// access point of the bucket owner's account carries them; one straight to
// the bucket does not. A fixed account confines a grant even when the
// access point name is a wildcard.
func (c Condition) holdsAccessPoint(ctx requestContext, key string, op operator,
	positive bool, desc string) (tri, string) {
	if !apValuesFixed(key, c.Values) {
		return unknown, desc + ": the account is not a fixed value"
	}
	if !ctx.viaAccessPoint {
		if positive && !op.ifExists {
			return no, desc
		}
		if positive {
			return unknown, desc + " lets requests without the key through"
		}
		return yes, desc
	}
	if matchesAccessPoint(ctx, key, c.Values) == positive {
		return yes, desc
	}
	return no, desc
}

func apValuesFixed(key string, values []string) bool {
	for _, v := range values {
		acct := v
		if key == "s3:dataaccesspointarn" {
			parts := strings.SplitN(v, ":", 6)
			if len(parts) != 6 {
				return false
			}
			acct = parts[4]
		}
		if acct == "" || strings.ContainsAny(acct, "*?") || strings.Contains(acct, "${") {
			return false
		}
	}
	return len(values) > 0
}

func matchesAccessPoint(ctx requestContext, key string, values []string) bool {
	for _, v := range values {
		acct, name := v, ""
		if key == "s3:dataaccesspointarn" {
			parts := strings.SplitN(v, ":", 6)
			acct = parts[4]
			name, _ = strings.CutPrefix(parts[5], "accesspoint/")
		}
		if ctx.account != "" && acct != ctx.account {
			continue
		}
		if name == "" || ctx.apName == "" || globMatch(strings.ToLower(name),
			strings.ToLower(ctx.apName)) {
			return true
		}
	}
	return false
}

// fixedValues reports whether every value is fixed: no wildcard, no policy
// variable and, for aws:SourceIp, a range no broader than /8 for IPv4 and
// /32 for IPv6 (AWS counts 0.0.0.0/1 as public).
func fixedValues(key string, values []string) (bool, string) {
	if len(values) == 0 {
		return false, "no value"
	}
	for _, v := range values {
		if strings.ContainsAny(v, "*?") || strings.Contains(v, "${") {
			return false, fmt.Sprintf("%q is not a fixed value", v)
		}
		if key == "aws:sourceip" {
			if ok, why := narrowRange(v); !ok {
				return false, why
			}
		}
	}
	return true, ""
}

func narrowRange(v string) (bool, string) {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return false, fmt.Sprintf("%q is not an address range", v)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	bits, limit, family := p.Bits(), 32, "IPv6"
	switch {
	case p.Addr().Is4():
		limit, family = 8, "IPv4"
	case p.Addr().Is4In6():
		bits, limit, family = bits-96, 8, "IPv4"
	}
	if bits < limit {
		return false, fmt.Sprintf("%s is broader than /%d (%s)", v, limit, family)
	}
	return true, ""
}
