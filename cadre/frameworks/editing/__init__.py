"""Building and editing frameworks in the browser: the pages L&D administrators use to write a
draft, publish it and start the next version. Every write goes through `services`."""
