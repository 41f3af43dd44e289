package ui

import (
	"strings"
	"testing"
)

func TestPager(t *testing.T) {
	cases := []struct {
		name, target, lang string
		p                  Pager
		want               string // "" for nothing
		lacks              string
	}{
		{"one page shows nothing", "/news", "id", Pager{Total: 10, Page: 1, Limit: 10}, "", ""},
		{"no limit shows nothing", "/news", "id", Pager{Total: 10, Page: 1}, "", ""},
		{"first page: next only", "/news?category=umum", "id", Pager{Total: 25, Page: 1, Limit: 10},
			`<nav class="b-pager" aria-label="Halaman"><span>1 / 3</span><a class="b-btn" href="?category=umum&amp;page=2" rel="next">›</a></nav>`, `rel="prev"`},
		{"middle: both, limit dropped", "/news?page=2&limit=500", "en", Pager{Total: 25, Page: 2, Limit: 10, Label: "Mall Desa"},
			`<nav class="b-pager" aria-label="Mall Desa"><a class="b-btn" href="?page=1" rel="prev">‹</a><span>2 / 3</span><a class="b-btn" href="?page=3" rel="next">›</a></nav>`, "limit"},
		{"last page: prev only, English label", "/news?page=3", "en", Pager{Total: 25, Page: 3, Limit: 10},
			`<nav class="b-pager" aria-label="Pages"><a class="b-btn" href="?page=2" rel="prev">‹</a><span>3 / 3</span></nav>`, `rel="next"`},
		{"query escaped", "/news?q=%22%3E%3Cscript%3E", "id", Pager{Total: 20, Page: 1, Limit: 10},
			`href="?page=2&amp;q=%22%3E%3Cscript%3E"`, "<script>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := html(c.p, pageReq("GET", c.target, c.lang))
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("got %s, want %s", got, c.want)
			}
			if c.lacks != "" && strings.Contains(got, c.lacks) {
				t.Errorf("%q in %s", c.lacks, got)
			}
		})
	}
}
