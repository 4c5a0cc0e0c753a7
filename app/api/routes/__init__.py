"""app/api/routes"""
