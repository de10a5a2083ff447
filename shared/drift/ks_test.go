package drift

import (
	"math"
	"math/big"
	"testing"
)

// latticeOutsideProb counts, exactly, the lattice paths from (0,0) to (m,n)
// that touch |n·x − m·y| ≥ h·g somewhere, over all C(m+n, n) paths: the
// definition of P(D ≥ h/lcm(m,n)) for the two-sample KS statistic.
func latticeOutsideProb(m, n, h int) float64 {
	g := gcd(m, n)
	inside := func(x, y int) bool {
		d := n*x - m*y
		if d < 0 {
			d = -d
		}
		return d < h*g
	}
	paths := make([][]*big.Int, m+1)
	for x := range paths {
		paths[x] = make([]*big.Int, n+1)
		for y := range paths[x] {
			paths[x][y] = new(big.Int)
			switch {
			case !inside(x, y):
			case x == 0 && y == 0:
				paths[x][y].SetInt64(1)
			default:
				if x > 0 {
					paths[x][y].Add(paths[x][y], paths[x-1][y])
				}
				if y > 0 {
					paths[x][y].Add(paths[x][y], paths[x][y-1])
				}
			}
		}
	}
	total := new(big.Int).Binomial(int64(m+n), int64(n))
	stay := new(big.Rat).SetFrac(paths[m][n], total)
	p, _ := new(big.Rat).Sub(big.NewRat(1, 1), stay).Float64()
	return p
}

func TestExactKSMatchesLatticeCount(t *testing.T) {
	sizes := [][2]int{{3, 3}, {5, 5}, {8, 8}, {3, 5}, {4, 6}, {7, 12}, {10, 4}, {9, 15}}
	for _, s := range sizes {
		m, n := s[0], s[1]
		lcm := m / gcd(m, n) * n
		for h := 1; h <= lcm; h++ {
			want := latticeOutsideProb(m, n, h)
			var got float64
			if m == n {
				got = probOutsideSquare(m, h)
			} else {
				got = outerProbInside(m, n, gcd(m, n), h)
			}
			if !closeRel(got, want, 1e-12) && math.Abs(got-want) > 1e-15 {
				t.Errorf("m=%d n=%d h=%d: got %.17g, want %.17g", m, n, h, got, want)
			}
		}
	}
}

func TestKS2SampHandCases(t *testing.T) {
	tests := []struct {
		name    string
		x, y    []float64
		mode    KSMode
		stat, p float64
		method  KSMode
	}{
		// Complete separation of 3 and 3: only 2 of the C(6,3) = 20 orderings
		// reach D = 1.
		{"separated 3+3", []float64{1, 2, 3}, []float64{4, 5, 6}, KSAuto, 1, 0.1, KSExact},
		// Identical samples: D = 0 and p = 1 in either path.
		{"identical exact", []float64{1, 2, 3}, []float64{1, 2, 3}, KSExact, 0, 1, KSExact},
		{"identical asymp", []float64{1, 2, 3}, []float64{1, 2, 3}, KSAsymp, 0, 1, KSAsymp},
		// Ties across samples: the ECDFs are compared after each value.
		{"constant", []float64{2, 2, 2, 2}, []float64{2, 2}, KSAuto, 0, 1, KSExact},
		// 2 and 4 separated: 2 of C(6,2) = 15 orderings.
		{"separated 2+4", []float64{0, 1}, []float64{2, 3, 4, 5}, KSAuto, 1, 2.0 / 15, KSExact},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := KS2Samp(tt.x, tt.y, tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			if !closeRel(r.Statistic, tt.stat, 1e-12) || !closeRel(r.PValue, tt.p, 1e-12) {
				t.Errorf("got D=%v p=%v, want D=%v p=%v", r.Statistic, r.PValue, tt.stat, tt.p)
			}
			if r.Method != tt.method {
				t.Errorf("method: got %s, want %s", r.Method, tt.method)
			}
		})
	}
}

func TestKS2SampModeChoice(t *testing.T) {
	big1 := make([]float64, ksMaxAutoN+1)
	small := make([]float64, 10)
	for i := range big1 {
		big1[i] = float64(i)
	}
	for i := range small {
		small[i] = float64(i) * 1000
	}
	r, err := KS2Samp(big1, small, KSAuto)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != KSAsymp {
		t.Errorf("auto above %d values: got %s, want asymp", ksMaxAutoN, r.Method)
	}
	if _, err := KS2Samp(nil, small, KSAuto); err == nil {
		t.Error("empty sample: got no error")
	}
	if _, err := KS2Samp(small, small, "fast"); err == nil {
		t.Error("unknown mode: got no error")
	}
}

func TestKolmogorovSFClosedForms(t *testing.T) {
	tests := []struct {
		name string
		n, x float64
		want float64
	}{
		// D_1 = max(U, 1−U): P(D_1 ≥ x) = 2(1 − x) on [1/2, 1].
		{"n=1", 1, 0.7, 0.6},
		// Below 1/(2n) the statistic always exceeds x.
		{"below support", 10, 0.04, 1},
		{"at one", 10, 1, 0},
		// Ruben–Gambino: P(D_n ≤ x) = n!/n^n·(2nx − 1)^n for 1/(2n) ≤ x ≤ 1/n.
		{"ruben-gambino n=5", 5, 0.15, 1 - 120.0/3125*math.Pow(0.5, 5)},
		// Upper end: P(D_n ≥ x) = 2(1 − x)^n for x ≥ 1 − 1/n.
		{"upper end n=4", 4, 0.8, 2 * math.Pow(0.2, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KolmogorovSF(tt.n, tt.x); !closeRel(got, tt.want, 1e-12) {
				t.Errorf("got %.17g, want %.17g", got, tt.want)
			}
		})
	}
}

func TestKolmogorovExactMethodsAgree(t *testing.T) {
	// Durbin's matrix and Pomeranz's recursion are independent exact
	// algorithms; on their common domain they must agree.
	for _, n := range []int{5, 20, 60, 140} {
		for _, z := range []float64{0.6, 0.8, 1.0, 1.3, 1.8} {
			x := z / math.Sqrt(float64(n))
			if float64(n)*x <= 1 || x >= 0.5 {
				continue
			}
			a, b := kolmognDMTW(n, x), kolmognPomeranz(n, x)
			if !closeRel(a, b, 1e-10) {
				t.Errorf("n=%d x=%v: DMTW %.17g, Pomeranz %.17g", n, x, a, b)
			}
		}
	}
}

func TestKolmogorovApproachesLimit(t *testing.T) {
	// sqrt(n)·D_n tends to Kolmogorov's K: P(K > z) = 2 Σ (−1)^(k−1) e^(−2k²z²).
	limit := func(z float64) float64 {
		s := 0.0
		for k := 1.0; k < 100; k++ {
			s += 2 * math.Pow(-1, k-1) * math.Exp(-2*k*k*z*z)
		}
		return s
	}
	n := 1e5
	for _, z := range []float64{0.5, 0.9, 1.3581, 2.0} {
		got, want := KolmogorovSF(n, z/math.Sqrt(n)), limit(z)
		if !closeRel(got, want, 5e-3) {
			t.Errorf("z=%v: got %.10g, want about %.10g", z, got, want)
		}
	}
}

// smirnovExact is Birnbaum and Tingey's sum for P(D_n+ ≥ x) at 256 bits.
func smirnovExact(n int, x float64) float64 {
	const prec = 256
	fx := new(big.Float).SetPrec(prec).SetFloat64(x)
	fn := new(big.Float).SetPrec(prec).SetInt64(int64(n))
	sum := new(big.Float).SetPrec(prec)
	last := int(math.Floor(float64(n) * (1 - x)))
	for v := 0; v <= last; v++ {
		c := new(big.Float).SetPrec(prec).SetInt(new(big.Int).Binomial(int64(n), int64(v)))
		vn := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetInt64(int64(v)), fn)
		a := new(big.Float).SetPrec(prec).Add(fx, vn)
		b := new(big.Float).SetPrec(prec).Sub(big.NewFloat(1), a)
		term := c.Mul(c, bigPow(a, v-1, prec))
		term.Mul(term, bigPow(b, n-v, prec))
		sum.Add(sum, term)
	}
	out, _ := sum.Mul(sum, fx).Float64()
	return out
}

func bigPow(b *big.Float, m, prec int) *big.Float {
	out := new(big.Float).SetPrec(uint(prec)).SetInt64(1)
	if m < 0 {
		return out.Quo(out, bigPow(b, -m, prec))
	}
	for i := 0; i < m; i++ {
		out.Mul(out, b)
	}
	return out
}

func TestSmirnovMatchesHighPrecisionSum(t *testing.T) {
	for _, n := range []int{2, 7, 30, 100, 400} {
		for _, x := range []float64{0.013, 0.05, 0.11, 0.3, 0.62, 0.9} {
			want := smirnovExact(n, x)
			if got := SmirnovSF(n, x); !closeRel(got, want, 1e-11) && math.Abs(got-want) > 1e-300 {
				t.Errorf("n=%d x=%v: got %.17g, want %.17g", n, x, got, want)
			}
		}
	}
}

func TestPelzGoodApproachesDurbin(t *testing.T) {
	// Pelz–Good is an expansion in 1/√n; for large n it must meet Durbin's
	// exact matrix method (whose cost grows with (n·x)³, so small x only).
	cases := []struct{ n, z float64 }{{20000, 0.5}, {20000, 0.7}, {100000, 0.3}}
	for _, c := range cases {
		n := int(c.n)
		x := c.z / math.Sqrt(c.n)
		a, b := kolmognDMTW(n, x), kolmognPelzGood(n, x)
		if !closeRel(b, a, 5e-8) {
			t.Errorf("n=%d z=%v: Pelz-Good %.15g, Durbin %.15g", n, c.z, b, a)
		}
	}
}

func TestKSExactFallsBackWhenTooCostly(t *testing.T) {
	// lcm(100000, 50000) = 100000 fits scipy's limit, but the band is as tall
	// as the smaller sample: 5·10⁹ steps. The asymptotic path answers.
	x := make([]float64, 100000)
	y := make([]float64, 50000)
	for i := range x {
		x[i] = float64(i)
	}
	for i := range y {
		y[i] = float64(i) + 1e9
	}
	r, err := KS2Samp(x, y, KSExact)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != KSAsymp || r.Statistic != 1 || r.PValue != 0 {
		t.Errorf("got %+v, want asymp D = 1 p = 0", r)
	}
	res, err := Compare("x", NumericalSample(x), NumericalSample(y),
		Options{Test: TestKS, KSMode: KSExact})
	if err != nil {
		t.Fatal(err)
	}
	if res.KSMethod != KSAsymp || len(res.Warnings) != 1 ||
		res.Warnings[0].Code != "ks-exact-unavailable" {
		t.Errorf("got method %s warnings %+v, want asymp with a warning", res.KSMethod, res.Warnings)
	}
}

func TestPomeranzTailMeetsTwiceSmirnov(t *testing.T) {
	// Far in the tail P(D_n ≥ x) = 2·P(D_n+ ≥ x) − P(both), and the joint
	// term vanishes: Pomeranz's exact CDF must meet twice the one-sided SF.
	for _, n := range []int{20, 60, 140} {
		for _, nx2 := range []float64{3, 4.5, 6} {
			x := math.Sqrt(nx2 / float64(n))
			exact, tail := 1-kolmognPomeranz(n, x), 2*SmirnovSF(n, x)
			if !closeRel(tail, exact, 1e-8) {
				t.Errorf("n=%d nx²=%v: 2·smirnov %.15g, 1 − Pomeranz %.15g", n, nx2, tail, exact)
			}
		}
	}
}
