package main

import "github.com/balaidesa/balai/sdk"

func pages() []sdk.PageRoute { return nil }
