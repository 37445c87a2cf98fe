"""Writers of the blind held-out set (tests/eval/heldout.py), written without sight of the field
rules or of the honest set's templates."""
