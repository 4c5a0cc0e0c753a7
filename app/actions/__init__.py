"""app/actions"""
