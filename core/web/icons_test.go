package web

import (
	"os"
	"strings"
	"testing"
)

// The SDK's documentation of MenuEntry.Icon lists exactly the icons the
// host draws: a vendor picks from that list.
func TestIconNamesDocumented(t *testing.T) {
	src, err := os.ReadFile("../../sdk/plugin.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	i := strings.Index(s, "Icon names one of the host's icons")
	j := strings.Index(s[i:], "Another name")
	_, list, _ := strings.Cut(s[i:i+j], ":") // "... drawn before the label: home, users, ..."
	doc := " " + strings.Join(strings.Fields(strings.ReplaceAll(list, "//", "")), " ")
	for _, n := range iconNames() {
		if !strings.Contains(doc, " "+n+",") && !strings.Contains(doc, " "+n+".") {
			t.Errorf("icon %q is not in sdk.MenuEntry.Icon's list: %s", n, doc)
		}
	}
	if got := strings.Count(doc, ","); got != len(icons)-1 {
		t.Errorf("the list names %d icons, the host draws %d", got+1, len(icons))
	}
}
