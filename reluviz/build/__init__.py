"""The site's generation step, a plain program with no MkDocs in it: ``python -m reluviz.build OUT``.

It makes every file the site needs that is not written by hand (`reluviz.build.generate` lists them) from the
package and the site's pages; the MkDocs glue in gen/ only runs it and places what it made. Its parts: the site's
configuration and pages (`site`), their tokens (`markup`), the figures' settings (`settings`), the one cache
(`store`), the worker processes (`workers`, `worker`, `jobs`) and the teaching downloads (`pack`, `notebooks`).
"""
