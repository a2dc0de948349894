"""Camera evaluation sets and measurements, generated in memory (nothing is saved):

* ``face_set`` — one identity's face per frame, for face verification (tests, bench/face_verify.py,
  scripts/screens.py's camera);
* ``onlooker_clips`` — deterministic onlooker clips with ground truth and tune/held-out splits
  (bench/onlooker.py, tests/camera);
* ``detector_eval`` — detector recall, alarm rates and speed on synthetic scenes, and scripted
  reaction times through a policy (``python -m testbed.camera.detector_eval``).

The demo's virtual camera is product code and stays in ``drivers.camera.synthetic``.
"""
