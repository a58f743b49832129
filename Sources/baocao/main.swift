import App

// The whole command line lives in App/Commands; this target only starts it.
await BaoCaoCommand.start()
