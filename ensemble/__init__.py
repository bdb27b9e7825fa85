"""Monte Carlo ensembles of a scenario on Dask (issue 14; docs/ensemble.md). No Panda3D.

    spec = ensemble.schema.parse(raw, source)         # the [ensemble] table (scenario/loader.py hook)
    draw = ensemble.draws.member_draw(spec, seed, i)  # member i's inputs, from (seed, i) alone
    rows = ensemble.members.run_chunk(job, indices)   # one Dask task: a few members, one result dict
    ensemble.runner.run_ensemble(...)                 # LocalCluster or a scheduler, resumable store
    ensemble.report.summary_lines(ens)                # recontact probability, distances, reentry dates
"""
