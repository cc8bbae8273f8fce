#!/bin/sh
echo "coverage is not supported in hero's offline build" >&2
exit 1
